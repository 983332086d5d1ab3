/* diagnose.c: pick the problem, walk the tree, build the ladder, fill the
 * fix from the facts. */
#include "diagnose.h"
#include "template.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#define SLOW_MS		2000	/* a pause this long before login is worth a word */
#define WALK_MAX	64	/* tree steps: more means a cycle */

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_OK:		return "ok";
	case VERDICT_PROBLEM:		return "problem";
	case VERDICT_INCONCLUSIVE:	break;
	}
	return "inconclusive";
}

const char *
stage_status_name(int status)
{
	switch (status) {
	case STATUS_OK:		return "ok";
	case STATUS_FAILED:	return "failed";
	case STATUS_SKIPPED:	return "skipped";
	default:		return "not-reached";
	}
}

/* ---- derived facts ---- */

static int
logged_in(const struct conn *c)
{
	for (int side = 0; side < CONN_SIDES; side++)
		if (c->ladder[side][STAGE_AUTH].ok)
			return 1;
	return 0;
}


static const char *
fact_or(const struct facts *f, const char *a, const char *b)
{
	const char *v = facts_get(f, a);

	return v != NULL ? v : facts_get(f, b);
}

/* The n-th value of a list fact (n from 0), or NULL. */
static const char *
list_nth(const struct facts *f, const char *name, size_t n)
{
	const struct fact *x = facts_find(f, name);

	if (x == NULL)
		return NULL;
	if (!x->is_list)
		return n == 0 ? x->value : NULL;
	return n < x->list.n ? x->list.v[n] : NULL;
}

/* Each side logs its own KEXINIT proposal first and its peer's second:
 * cprop_* (client log) and sprop_* (server log) become client_* and
 * server_* lists. */
static void
derive_proposals(struct facts *f)
{
	static const char *const kinds[] = { "kex", "hostkeys", "ciphers", "macs" };

	for (size_t i = 0; i < 4; i++) {
		char c[32], s[32], out[32];
		const char *v;

		snprintf(c, sizeof c, "cprop_%s", kinds[i]);
		snprintf(s, sizeof s, "sprop_%s", kinds[i]);
		snprintf(out, sizeof out, "client_%s", kinds[i]);
		if ((v = list_nth(f, c, 0)) != NULL || (v = list_nth(f, s, 1)) != NULL)
			facts_put(f, out, v);
		snprintf(out, sizeof out, "server_%s", kinds[i]);
		if ((v = list_nth(f, s, 0)) != NULL || (v = list_nth(f, c, 1)) != NULL)
			facts_put(f, out, v);
	}
}

/* For a failed negotiation: the two lists being compared. */
static void
derive_lists(struct facts *f)
{
	const char *m = facts_get(f, "mismatch"), *kind = NULL, *v;
	char name[32];

	if (m == NULL)
		return;
	if (strcasecmp(m, "cipher") == 0)
		kind = "ciphers";
	else if (strcasecmp(m, "MAC") == 0)
		kind = "macs";
	else if (strncmp(m, "key exchange", 12) == 0)
		kind = "kex";
	else if (strncmp(m, "host key", 8) == 0)
		kind = "hostkeys";
	if ((v = facts_get(f, "server_offer")) != NULL ||
	    (v = facts_get(f, "peer_offer")) != NULL) {
		facts_put(f, "server_list", v);
	} else if (kind != NULL) {
		snprintf(name, sizeof name, "server_%s", kind);
		if ((v = facts_get(f, name)) != NULL)
			facts_put(f, "server_list", v);
	}
	if ((v = facts_get(f, "client_offer")) != NULL)
		facts_put(f, "client_list", v);
	else if (kind != NULL) {
		snprintf(name, sizeof name, "client_%s", kind);
		if ((v = facts_get(f, name)) != NULL)
			facts_put(f, "client_list", v);
	}
}

/* What kb/algorithms.yaml says about each algorithm in the lists. */
static void
derive_algo_notes(const struct kb *kb, struct facts *f)
{
	static const char *const lists[] = { "server_list", "client_list",
	    "peer_offer", "sig_alg", NULL };
	struct strv seen = { 0 };
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; lists[i] != NULL; i++) {
		const char *v = facts_get(f, lists[i]);
		char *copy, *tok, *save = NULL;

		if (v == NULL)
			continue;
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save)) {
			const struct kb_algo *a = kb_algo(kb, tok);

			if (a == NULL || strv_has(&seen, tok) ||
			    ((a->disabled_in == NULL || *a->disabled_in == '\0') &&
			    (a->removed_in == NULL || *a->removed_in == '\0')))
				continue;
			strv_add(&seen, tok);
			if (b.len > 0)
				buf_adds(&b, "; ");
			buf_addf(&b, "%s", a->name);
			if (a->weak != NULL && *a->weak != '\0')
				buf_addf(&b, " (%s)", a->weak);
			if (a->disabled_in != NULL && *a->disabled_in != '\0')
				buf_addf(&b, " is off by default since OpenSSH %s",
				    a->disabled_in);
			if (a->removed_in != NULL && *a->removed_in != '\0')
				buf_addf(&b, "%s removed in OpenSSH %s",
				    a->disabled_in && *a->disabled_in ? " and" : " was",
				    a->removed_in);
		}
		free(copy);
	}
	if (b.len > 0)
		facts_put(f, "algo_notes", b.data);
	buf_free(&b);
	strv_free(&seen);
}

/* Facts for the fix text: known_hosts patterns, targets, decoded SFTP
 * lengths, the two sides' algorithm lists and what changed in them. */
static void
derive_text_facts(const struct kb *kb, struct facts *f)
{
	const char *host = facts_get(f, "host"), *port = facts_get(f, "port");
	const char *user = fact_or(f, "user", "auth_user"), *v;

	/* a log cut before "Connecting to" may still name the target in a
	 * password prompt */
	if (host == NULL && ((v = facts_get(f, "addr")) != NULL ||
	    (v = facts_get(f, "prompt_host")) != NULL)) {
		facts_put(f, "host", v);
		host = facts_get(f, "host");
	}
	if (user == NULL && (v = facts_get(f, "prompt_user")) != NULL) {
		facts_put(f, "user", v);
		user = facts_get(f, "user");
	}
	if (host != NULL) {
		char *hp = port != NULL && strcmp(port, "22") != 0 ?
		    xasprintf("[%s]:%s", host, port) : xstrdup(host);

		facts_put(f, "host_pattern", hp);
		free(hp);
		if (user != NULL) {
			char *t = xasprintf("%s@%s", user, host);

			facts_put(f, "target", t);
			free(t);
		} else
			facts_put(f, "target", host);
	}
	if (user != NULL && facts_get(f, "user") == NULL)
		facts_put(f, "user", user);
	facts_put(f, "port_opt", "");
	if (port != NULL && strcmp(port, "22") != 0) {
		char *po = xasprintf("-p %s", port);

		facts_put(f, "port_opt", po);
		free(po);
	}
	if ((v = facts_get(f, "sftp_length")) != NULL) {
		char *a = template_decode_word(v, 0), *e = template_decode_word(v, 1);
		char *h = xasprintf("0x%08llx", strtoull(v, NULL, 10) & 0xffffffffULL);

		facts_put(f, "sftp_ascii", a);
		facts_put(f, "sftp_ebcdic", e);
		facts_put(f, "sftp_hex", h);
		free(a);
		free(e);
		free(h);
	}
	derive_proposals(f);
	derive_lists(f);
	derive_algo_notes(kb, f);
}

/* The answers the decision tree can read from the log itself. */
static void
derive_answers(const struct conn *c, struct facts *f)
{
	const char *user = fact_or(f, "user", "auth_user"), *v;
	const struct fact *x;

	facts_put(f, "has_server_log", c->lines[SIDE_SERVER] > 0 ? "yes" : "no");
	facts_put(f, "has_client_log", c->lines[SIDE_CLIENT] > 0 ? "yes" : "no");
	if (c->lines[SIDE_CLIENT] > 0)
		facts_put(f, "key_offered",
		    facts_get(f, "offered_key") != NULL ? "yes" : "no");
	if ((x = facts_find(f, "tried_method")) != NULL) {
		int pw = strv_has(&x->list, "password") ||
		    strv_has(&x->list, "keyboard-interactive");

		facts_put(f, "password_tried", pw ? "yes" : "no");
	} else if (c->lines[SIDE_CLIENT] > 0)
		facts_put(f, "password_tried", "no");
	if (user != NULL)
		facts_put(f, "user_is_root", strcmp(user, "root") == 0 ? "yes" : "no");
	if (c->lines[SIDE_CLIENT] > 0)
		facts_put(f, "key_accepted",
		    facts_get(f, "accepted_key") != NULL ? "yes" : "no");
	if (facts_get(f, "accepted_key") != NULL)
		facts_put(f, "refused_after_accept",
		    facts_get(f, "methods_after_accept") != NULL ? "yes" : "no");
	facts_put(f, "logged_in", logged_in(c) ? "yes" : "no");
	if (c->lines[SIDE_SERVER] > 0)
		facts_put(f, "key_postponed",
		    facts_get(f, "postponed_method") != NULL ? "yes" : "no");
	/* a session that ended as sessions do: an exit status, or the
	 * client saying goodbye */
	v = facts_get(f, "exit_status");
	facts_put(f, "clean_exit", facts_get(f, "session_exit") != NULL ||
	    (v != NULL && strcmp(v, "-1") != 0) ||
	    ((v = facts_get(f, "disconnect_code")) != NULL && strcmp(v, "11") == 0) ?
	    "yes" : "no");
	facts_put(f, "kex_done", c->ladder[SIDE_CLIENT][STAGE_KEX].ok ||
	    c->ladder[SIDE_SERVER][STAGE_KEX].ok ? "yes" : "no");
}

static void
take_facts(const struct kb *kb, const struct conn *c, struct diagnosis *d)
{
	facts_merge(&d->facts, &c->facts);
	if (!(d->flags & DIAGNOSE_BRIEF))
		derive_text_facts(kb, &d->facts);
	derive_answers(c, &d->facts);
}

/* ---- ladder ---- */

static int
problem_ladder_stage(const struct kb_problem *p)
{
	return p != NULL && p->stage != NULL ? stage_from_name(p->stage) : -1;
}

static void
build_ladder(const struct conn *c, struct diagnosis *d, int failed)
{
	int ok_verdict = d->verdict == VERDICT_OK;
	int reached = -1;
	int64_t t_start[STAGE_COUNT], t_end[STAGE_COUNT];

	for (int st = 0; st < STAGE_COUNT; st++) {
		int started = 0, ok = 0;

		t_start[st] = t_end[st] = -1;
		for (int side = 0; side < CONN_SIDES; side++) {
			const struct stage_track *t = &c->ladder[side][st];

			if (t->started)
				started = 1;
			if (t->ok) {
				ok = 1;
				if (t_end[st] < 0 || (t->t_ok >= 0 && t->t_ok < t_end[st]))
					t_end[st] = t->t_ok;
			}
			if (t->started && t->t_start >= 0 &&
			    (t_start[st] < 0 || t->t_start < t_start[st]))
				t_start[st] = t->t_start;
		}
		d->stages[st].status = ok ? STATUS_OK : STATUS_NOT_REACHED;
		d->stages[st].ms = -1;
		if (started || ok)
			reached = st;
	}
	/* in a connection that worked, every stage begun went through */
	if (failed < 0 && ok_verdict)
		for (int st = 0; st <= reached; st++)
			d->stages[st].status = STATUS_OK;
	/* a later stage reached means the earlier ones passed */
	for (int st = 0; st < reached; st++)
		if (st != failed)
			d->stages[st].status = STATUS_OK;
	if (failed >= 0) {
		d->stages[failed].status = STATUS_FAILED;
		for (int st = 0; st < failed; st++)
			d->stages[st].status = STATUS_OK;
		for (int st = failed + 1; st < STAGE_COUNT; st++)
			d->stages[st].status = STATUS_NOT_REACHED;
	}
	/* a working session that never asked for sftp skipped that stage */
	if (failed < 0 && d->stages[STAGE_AUTH].status == STATUS_OK &&
	    d->stages[STAGE_SFTP].status == STATUS_NOT_REACHED &&
	    reached < STAGE_SFTP)
		d->stages[STAGE_SFTP].status = STATUS_SKIPPED;
	/* durations: from a stage's start (or the previous stage's end) to
	 * its end, where the times are known */
	for (int st = 0; st < STAGE_COUNT; st++) {
		int64_t from = t_start[st];

		if (from < 0 && st > 0)
			from = t_end[st - 1];
		if (from >= 0 && t_end[st] >= from &&
		    d->stages[st].status == STATUS_OK)
			d->stages[st].ms = t_end[st] - from;
		else if (from >= 0 && st == failed && c->t_last >= from)
			d->stages[st].ms = c->t_last - from;
	}
	d->failed_stage = failed;
}

/* ---- evidence ---- */

static void
add_evidence(struct diagnosis *d, const struct conn_hit *h)
{
	if (d->flags & DIAGNOSE_BRIEF)
		return;
	for (size_t i = 0; i < d->nevidence; i++)
		if (d->evidence[i].line == h->line &&
		    d->evidence[i].source == h->source)
			return;
	d->evidence = xreallocarray(d->evidence, d->nevidence + 1,
	    sizeof *d->evidence);
	d->evidence[d->nevidence].side = h->side;
	d->evidence[d->nevidence].source = h->source;
	d->evidence[d->nevidence].line = h->line;
	d->evidence[d->nevidence].text = xstrdup(h->text ? h->text : "");
	d->nevidence++;
}

static int
cmp_evidence(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;

	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
evidence_for_problem(const struct kb *kb, const struct conn *c,
    struct diagnosis *d, int pidx)
{
	if (d->flags & DIAGNOSE_BRIEF)
		return;
	for (size_t i = 0; i < c->nhits; i++)
		if (kb->rules[c->hits[i].rule].problem == pidx &&
		    c->hits[i].in_context)
			add_evidence(d, &c->hits[i]);
	if (d->nevidence > 1)
		qsort(d->evidence, d->nevidence, sizeof *d->evidence, cmp_evidence);
}

/* ---- fix text ---- */

static void
fill_problem(const struct kb_problem *p, struct diagnosis *d)
{
	char *t;

	d->problem = p;
	d->stage = p->stage;
	d->verdict = VERDICT_PROBLEM;
	if (d->flags & DIAGNOSE_BRIEF)
		return;
	free(d->explanation);
	d->explanation = template_render(p->explanation ? p->explanation : "",
	    &d->facts);
	/* trim the newline a YAML block scalar leaves */
	for (size_t n = strlen(d->explanation); n > 0 &&
	    d->explanation[n - 1] == '\n'; n--)
		d->explanation[n - 1] = '\0';
	if (facts_get(&d->facts, "algo_notes") != NULL &&
	    strstr(p->explanation ? p->explanation : "", "{algo_notes") == NULL &&
	    (strcmp(p->stage, "kex") == 0 || strcmp(p->id, "auth-no-mutual-sig") == 0)) {
		t = xasprintf("%s\nWhat changed: %s.", d->explanation,
		    facts_get(&d->facts, "algo_notes"));
		free(d->explanation);
		d->explanation = t;
	}
	for (size_t i = 0; i < p->fix.n; i++)
		strv_addn(&d->fix, template_render(p->fix.v[i], &d->facts));
	for (size_t i = 0; i < p->commands.n; i++)
		strv_addn(&d->commands, template_render(p->commands.v[i], &d->facts));
}

/* ---- the decision tree ---- */

static const char *
given_answer(const struct strv *answers, const struct kb_node *n,
    const struct facts *f)
{
	for (size_t i = 0; answers != NULL && i < answers->n; i++) {
		const char *eq = strchr(answers->v[i], '=');
		size_t klen;

		if (eq == NULL)
			continue;
		klen = (size_t)(eq - answers->v[i]);
		if ((strlen(n->id) == klen && strncmp(n->id, answers->v[i], klen) == 0) ||
		    (n->fact != NULL && strlen(n->fact) == klen &&
		    strncmp(n->fact, answers->v[i], klen) == 0))
			return eq + 1;
	}
	return n->fact != NULL ? facts_get(f, n->fact) : NULL;
}

static const char *
answer_next(const struct kb_node *n, const char *answer)
{
	for (size_t i = 0; answer != NULL && i < n->nanswers; i++)
		if (strcasecmp(n->answers[i].key, answer) == 0)
			return n->answers[i].next;
	return NULL;
}

/* Every problem still possible below a node, with the answers leading to it. */
static void
collect_leaves(const struct kb *kb, const struct kb_node *n, const char *why,
    struct diagnosis *d, int depth)
{
	if (n == NULL || depth > WALK_MAX)
		return;
	if (n->leaf != NULL) {
		const struct kb_problem *p = kb_problem(kb, n->leaf);

		if (p == NULL)
			return;
		for (size_t i = 0; i < d->nalts; i++)
			if (d->alts[i].problem == p)
				return;
		d->alts = xreallocarray(d->alts, d->nalts + 1, sizeof *d->alts);
		d->alts[d->nalts].problem = p;
		d->alts[d->nalts].why = xstrdup(why ? why : p->title);
		d->nalts++;
		return;
	}
	for (size_t i = 0; i < n->nanswers; i++) {
		char *w = n->ask != NULL ?
		    xasprintf("%s %s", n->ask, n->answers[i].key) :
		    xstrdup(n->answers[i].key);

		collect_leaves(kb, kb_node(kb, n->answers[i].next), w, d, depth + 1);
		free(w);
	}
}

static void
walk_tree(const struct kb *kb, const struct kb_symptom *sym,
    const struct strv *answers, struct diagnosis *d)
{
	const struct kb_node *n = kb_node(kb, sym->root);

	for (int step = 0; n != NULL && step < WALK_MAX; step++) {
		const char *ans, *next;

		if (n->leaf != NULL) {
			const struct kb_problem *p = kb_problem(kb, n->leaf);

			if (p != NULL && strcmp(p->id, "success") == 0) {
				/* the tree found nothing wrong after all */
				fill_problem(p, d);
				d->problem = NULL;
				d->stage = NULL;
				d->verdict = VERDICT_OK;
				return;
			}
			if (p != NULL) {
				fill_problem(p, d);
				return;
			}
			break;
		}
		ans = given_answer(answers, n, &d->facts);
		next = n->ask != NULL ? answer_next(n, ans) : NULL;
		if (next == NULL) {
			/* stop here: honest about what is missing */
			d->verdict = VERDICT_INCONCLUSIVE;
			if (d->flags & DIAGNOSE_BRIEF)
				return;
			if (n->ask != NULL) {
				struct buf q;

				d->question = n;
				buf_init(&q);
				buf_addf(&q, "%s (answer with --answer %s=", n->ask, n->id);
				for (size_t i = 0; i < n->nanswers; i++)
					buf_addf(&q, "%s%s", i ? "|" : "", n->answers[i].key);
				buf_adds(&q, ")");
				strv_addn(&d->next, buf_steal(&q));
			}
			for (size_t i = 0; i < n->collect.n; i++)
				strv_addn(&d->next, template_render(n->collect.v[i],
				    &d->facts));
			collect_leaves(kb, n, NULL, d, 0);
			return;
		}
		n = kb_node(kb, next);
	}
	d->verdict = VERDICT_INCONCLUSIVE;
}

/* ---- choosing ---- */

static int
stage_rank(const char *stage)
{
	int st = stage != NULL ? stage_from_name(stage) : -1;

	if (st >= 0)
		return st;
	if (stage != NULL && strcmp(stage, "local") == 0)
		return -1;
	return STAGE_COUNT;
}

/* After a login that worked, problems of the stages up to auth did not
 * stop it (a key refused, then a password accepted): they are warnings. */
static int
problem_is_warning(const struct kb_problem *p, int logged_in)
{
	int r = stage_rank(p->stage);

	return logged_in && r <= STAGE_AUTH;
}


static void
headline(struct diagnosis *d)
{
	const char *target = facts_get(&d->facts, "target");

	free(d->headline);
	if (d->verdict == VERDICT_PROBLEM && strcmp(d->problem->id, "slow-login") == 0)
		d->headline = xasprintf("%s%s worked, but slowly: a pause of %s s "
		    "in the %s stage (slow-login)", target ? "ssh to " : "SSH",
		    target ? target : "", facts_get(&d->facts, "slow_seconds"),
		    d->stage);
	else if (d->verdict == VERDICT_PROBLEM)
		d->headline = xasprintf("%s%s%s: %s (%s, stage %s)",
		    target ? "ssh to " : "", target ? target : "",
		    target ? " failed" : "SSH failed", d->problem->title,
		    d->problem->id, d->stage);
	else if (d->verdict == VERDICT_OK)
		d->headline = xasprintf("%s%s%s", target ? "ssh to " : "",
		    target ? target : "the SSH connection",
		    d->nalts > 0 || d->warnings.n > 0 ?
		    " worked, with warnings" : " worked");
	else
		d->headline = xasprintf("%s%s%s: not enough evidence to name one cause%s%s",
		    target ? "ssh to " : "", target ? target : "SSH",
		    d->symptom ? " failed" : "",
		    d->symptom ? " — " : "", d->symptom ? d->symptom->title : "");
}

struct diagnosis *
diagnose(const struct kb *kb, const struct conn *c, const struct strv *answers)
{
	return diagnose_flags(kb, c, answers, 0);
}

struct diagnosis *
diagnose_flags(const struct kb *kb, const struct conn *c,
    const struct strv *answers, int flags)
{
	struct diagnosis *d = xcalloc(1, sizeof *d);
	int best = -1, best_weight = -1, in = logged_in(c), failed = -1;
	enum side best_side = SIDE_ANY;
	uint64_t best_line = 0;
	const struct kb_symptom *sym = NULL;
	const struct conn_hit *sym_hit = NULL;
	int success = kb->success;

	d->failed_stage = -1;
	d->flags = flags;
	/* a brief diagnosis needs the facts only to walk the tree */
	if (!(flags & DIAGNOSE_BRIEF))
		take_facts(kb, c, d);
	memcpy(d->lines, c->lines, sizeof d->lines);
	d->noise = c->noise;

	for (size_t i = 0; i < c->nhits; i++) {
		const struct kb_rule *r = &kb->rules[c->hits[i].rule];
		const struct kb_problem *p;
		int w;

		if (!c->hits[i].in_context)
			continue;
		if (r->symptom >= 0) {
			const struct kb_symptom *s = &kb->symptoms[r->symptom];

			/* after a login only what can still go wrong counts */
			if (in && stage_rank(s->stage) <= STAGE_AUTH)
				continue;
			if (sym == NULL || s->weight > sym->weight) {
				sym = s;
				sym_hit = &c->hits[i];
			}
			continue;
		}
		if (r->problem < 0 || r->role != ROLE_DECISIVE ||
		    r->problem == success)
			continue;
		p = &kb->problems[r->problem];
		if (problem_is_warning(p, in)) {
			char *w2;

			if (flags & DIAGNOSE_BRIEF)
				continue;
			w2 = xasprintf("%s: %s", p->id, p->title);

			if (!strv_has(&d->warnings, w2))
				strv_add(&d->warnings, w2);
			free(w2);
			continue;
		}
		w = p->weight;
		/* the server knows why; the earlier line is the cause */
		if (w > best_weight || (w == best_weight &&
		    ((c->hits[i].side == SIDE_SERVER && best_side != SIDE_SERVER) ||
		    (c->hits[i].side == best_side && c->hits[i].line < best_line)))) {
			best = r->problem;
			best_weight = w;
			best_side = c->hits[i].side;
			best_line = c->hits[i].line;
		}
	}

	if (best >= 0) {
		fill_problem(&kb->problems[best], d);
		evidence_for_problem(kb, c, d, best);
		failed = problem_ladder_stage(d->problem);
	} else if (sym != NULL) {
		d->symptom = sym;
		if (flags & DIAGNOSE_BRIEF)
			take_facts(kb, c, d);
		walk_tree(kb, sym, answers, d);
		if (d->verdict != VERDICT_OK)
			add_evidence(d, sym_hit);
		else
			d->symptom = NULL;
		if (d->problem != NULL)
			evidence_for_problem(kb, c, d, (int)(d->problem - kb->problems));
		failed = d->verdict == VERDICT_OK ? -1 :
		    stage_from_name(d->problem ? d->problem->stage : sym->stage);
	} else if (in) {
		/* "success" is a verdict, not a problem: its text explains it */
		if (success >= 0) {
			fill_problem(&kb->problems[success], d);
			evidence_for_problem(kb, c, d, success);
			d->problem = NULL;
		}
		d->verdict = VERDICT_OK;
	} else {
		d->verdict = VERDICT_INCONCLUSIVE;
	}

	/* a long pause before login, in a connection that otherwise worked:
	 * the server's pause first (it says why: reverse DNS, PAM) */
	if (d->verdict == VERDICT_OK && kb->slow_login >= 0 &&
	    !(flags & DIAGNOSE_BRIEF)) {
		static const enum side order[] = { SIDE_SERVER, SIDE_CLIENT };
		int64_t longest = 0;
		int stage = -1;

		for (size_t i = 0; i < 2; i++)
			if (c->gap_ms[order[i]] > longest) {
				longest = c->gap_ms[order[i]];
				stage = c->gap_stage[order[i]];
			}
		if (longest >= SLOW_MS) {
			char *secs = xasprintf("%.1f", (double)longest / 1000.0);

			facts_put(&d->facts, "slow_seconds", secs);
			facts_put(&d->facts, "slow_stage", stage_name(stage));
			free(secs);
			fill_problem(&kb->problems[kb->slow_login], d);
			d->stage = stage_name(stage);
			for (size_t i = 0; i < 2; i++)
				if (c->gap_ms[order[i]] >= SLOW_MS)
					add_evidence(d, &c->gap_line[order[i]]);
		}
	}

	if (d->verdict == VERDICT_INCONCLUSIVE && d->symptom == NULL) {
		/* nothing named the failure: say where the log stops */
		int last = -1;

		for (int st = 0; st < STAGE_COUNT; st++)
			for (int side = 0; side < CONN_SIDES; side++)
				if (c->ladder[side][st].started)
					last = st;
		failed = last;
		for (size_t i = 0; i < c->nerrors; i++)
			add_evidence(d, &c->errors[i]);
		if (flags & DIAGNOSE_BRIEF)
			;	/* no text to collect */
		else if (c->lines[SIDE_CLIENT] + c->lines[SIDE_SERVER] == 0)
			strv_add(&d->next, "The input holds no log lines.");
		else if (last < 0)
			strv_add(&d->next, "No OpenSSH connection was recognised in "
			    "this log: collect `ssh -vvv` output of the failing "
			    "command, and the server's log for the same minute.");
		else
			strv_addn(&d->next, xasprintf("The log stops during the %s "
			    "stage without an error sshdoctor knows: collect the "
			    "other side's log (client: ssh -vvv; server: "
			    "sshd -ddd -e -p 822 as root, then ssh -vvv -p 822).",
			    stage_name(last)));
	}
	if (d->verdict == VERDICT_INCONCLUSIVE && d->symptom != NULL &&
	    facts_get(&d->facts, "has_server_log") != NULL &&
	    strcmp(facts_get(&d->facts, "has_server_log"), "no") == 0 &&
	    d->next.n == 0)
		strv_add(&d->next, "The server's log for this attempt.");
	build_ladder(c, d, d->verdict == VERDICT_OK ? -1 : failed);
	if (!(flags & DIAGNOSE_BRIEF))
		headline(d);
	return d;
}

void
diagnosis_free(struct diagnosis *d)
{
	if (d == NULL)
		return;
	free(d->headline);
	for (size_t i = 0; i < d->nevidence; i++)
		free(d->evidence[i].text);
	free(d->evidence);
	free(d->explanation);
	strv_free(&d->fix);
	strv_free(&d->commands);
	for (size_t i = 0; i < d->nalts; i++)
		free(d->alts[i].why);
	free(d->alts);
	strv_free(&d->next);
	strv_free(&d->warnings);
	facts_free(&d->facts);
	free(d);
}
