/* report.c: the writers. JSON goes through jansson so that every string,
 * whatever bytes the log had, comes out as valid JSON. */
#include "report.h"
#include "diagnose.h"
#include "util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define WRAP	78

static const char *const layer_color[LAYER_COUNT] = {
	"\033[34m",	/* tcp: blue */
	"\033[36m",	/* version: cyan */
	"\033[35m",	/* kex: magenta */
	"\033[33m",	/* hostkey: yellow */
	"\033[32m",	/* auth: green */
	"\033[94m",	/* conn: bright blue */
	"\033[96m",	/* sftp: bright cyan */
	"\033[90m",	/* local: grey */
	"",		/* other */
};

#define C_RESET	"\033[0m"
#define C_BOLD	"\033[1m"
#define C_DIM	"\033[2m"
#define C_RED	"\033[1;31m"
#define C_GREEN	"\033[1;32m"
#define C_YELLOW "\033[1;33m"

static const char *
col(int flags, const char *code)
{
	return (flags & REPORT_COLOR) ? code : "";
}

static const char *
source_name(const struct report_sources *src, int source, enum side side)
{
	if (src != NULL && source >= 0 && (size_t)source < src->n &&
	    src->names[source] != NULL)
		return src->names[source];
	return side_name(side);
}

static void
upper_tag(char *dst, size_t size, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < size && s[i]; i++)
		dst[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	dst[i] = '\0';
}

void
report_line(FILE *out, const struct cline *l, int flags)
{
	char tag[16];
	const char *c = col(flags, layer_color[l->layer]);

	upper_tag(tag, sizeof tag, layer_name(l->layer));
	if (l->level >= LEVEL_ERROR)
		c = col(flags, C_RED);
	else if (l->flags & CLINE_NOISE)
		c = col(flags, C_DIM);
	fprintf(out, "%6llu %c %-7s %s%s%s%s\n", (unsigned long long)l->number,
	    l->side == SIDE_SERVER ? 'S' : 'C', tag, c, l->text,
	    (l->flags & CLINE_CUT) ? " [line cut]" : "", col(flags, C_RESET));
}

void
report_fold(FILE *out, size_t count, const char *reason, int flags)
{
	fprintf(out, "%6s   %-7s %s… %zu noise line%s folded: %s%s\n", "", "",
	    col(flags, C_DIM), count, count == 1 ? "" : "s", reason,
	    col(flags, C_RESET));
}

void
report_printer_flush(struct report_printer *p)
{
	if (p->run > 0)
		report_fold(p->out, p->run, p->reason, p->flags);
	p->run = 0;
	free(p->reason);
	p->reason = NULL;
}

void
report_printer_line(struct report_printer *p, const struct cline *l)
{
	if (l->flags & CLINE_NOISE) {
		if (p->run > 0 && strcmp(p->reason, l->noise) != 0)
			report_printer_flush(p);
		if (p->run++ == 0)
			p->reason = xstrdup(l->noise);
		return;
	}
	report_printer_flush(p);
	report_line(p->out, l, p->flags);
}

/* Write text wrapped at WRAP columns: the first line after first, the
 * others after indent. */
static void
wrap2(FILE *out, const char *first, const char *indent, const char *text)
{
	const char *p = text;
	int line = 0;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t para = nl ? (size_t)(nl - p) : strlen(p);
		const char *w = p, *end = p + para, *lead = line++ == 0 ? first : indent;
		size_t start = strlen(lead), col = start;

		fputs(lead, out);
		while (w < end) {
			const char *sp = w;
			size_t wl;

			while (sp < end && *sp != ' ')
				sp++;
			wl = (size_t)(sp - w);
			if (col > start && col + 1 + wl > WRAP) {
				fprintf(out, "\n%s", indent);
				col = start = strlen(indent);
			} else if (col > start) {
				fputc(' ', out);
				col++;
			}
			fwrite(w, 1, wl, out);
			col += wl;
			w = sp;
			while (w < end && *w == ' ')
				w++;
		}
		fputc('\n', out);
		p = nl ? nl + 1 : end;
	}
}

static void
wrap(FILE *out, const char *indent, const char *text)
{
	wrap2(out, indent, indent, text);
}

static void
text_ladder(FILE *out, const struct diagnosis *d, int flags)
{
	fputs("  ", out);
	for (int st = 0; st < STAGE_COUNT; st++) {
		int status = d->stages[st].status;
		const char *c = status == STATUS_OK ? C_GREEN :
		    status == STATUS_FAILED ? C_RED : C_DIM;

		if (st > 0)
			fputs(" > ", out);
		fprintf(out, "%s %s%s%s", stage_name(st), col(flags, c),
		    status == STATUS_FAILED ? "FAILED" : stage_status_name(status),
		    col(flags, C_RESET));
		if (d->stages[st].ms >= 0)
			fprintf(out, " (%lldms)", (long long)d->stages[st].ms);
	}
	fputc('\n', out);
}

static const char *const shown_facts[] = {
	"client_software", "server_software", "host", "addr", "port", "user",
	"auth_user", "from_addr", "from_port", "kex_alg", "hostkey_alg",
	"cipher_c2s", "mac_c2s", "hostkey_type", "hostkey_fp", "kh_file",
	"kh_line", "offered_key", "auth_methods", "key_file", "sftp_length",
	NULL
};

static void
text_facts(FILE *out, const struct diagnosis *d)
{
	int any = 0;

	for (size_t i = 0; shown_facts[i] != NULL; i++) {
		const char *v = facts_get(&d->facts, shown_facts[i]);

		if (v == NULL)
			continue;
		if (!any)
			fputs("\nFacts\n", out);
		any = 1;
		fprintf(out, "  %-16s %s\n", shown_facts[i], v);
	}
}

static void
text_connections(FILE *out, struct session *s, int flags)
{
	const struct summary_entry *sum;
	const struct conn_record *rec;
	size_t n, nrec;

	if (session_conn_count(s, 0) <= 1)
		return;
	sum = session_summary(s, &n);
	fprintf(out, "\nConnections: %llu in the server log, %llu matching the filters\n",
	    (unsigned long long)session_conn_count(s, 0),
	    (unsigned long long)session_conn_count(s, 1));
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %8llu  %s\n", (unsigned long long)sum[i].count,
		    sum[i].key);
	rec = session_failures(s, &nrec);
	if (nrec == 0)
		return;
	fprintf(out, "\nFailing connections, newest first%s\n",
	    (flags & REPORT_ALL) ? "" : " (the first 10; --limit N for more)");
	for (size_t i = 0; i < nrec && ((flags & REPORT_ALL) || i < 10); i++)
		fprintf(out, "  pid %-8ld %-15s port %-6s user %-12s %s\n",
		    rec[i].pid, rec[i].from ? rec[i].from : "-",
		    rec[i].port ? rec[i].port : "-", rec[i].user ? rec[i].user : "-",
		    rec[i].problem ? rec[i].problem : verdict_name(rec[i].verdict));
}

int
report_text(FILE *out, struct session *s, const struct report_sources *src,
    int flags)
{
	const struct diagnosis *d = session_diagnosis(s);
	const char *vc;

	if (d == NULL) {
		fprintf(out, "sshdoctor: no log lines to analyse\n");
		return 0;
	}
	vc = d->verdict == VERDICT_OK ? C_GREEN :
	    d->verdict == VERDICT_PROBLEM ? C_RED : C_YELLOW;
	fprintf(out, "%s%s%s\n\n", col(flags, vc), d->headline, col(flags, C_RESET));
	text_ladder(out, d, flags);
	if (d->nevidence > 0) {
		fprintf(out, "\n%sEvidence%s\n", col(flags, C_BOLD), col(flags, C_RESET));
		for (size_t i = 0; i < d->nevidence; i++)
			fprintf(out, "  %s:%llu  %s\n",
			    source_name(src, d->evidence[i].source, d->evidence[i].side),
			    (unsigned long long)d->evidence[i].line, d->evidence[i].text);
	}
	if (d->explanation != NULL && *d->explanation != '\0') {
		fprintf(out, "\n%sWhy%s\n", col(flags, C_BOLD), col(flags, C_RESET));
		wrap(out, "  ", d->explanation);
	}
	if (d->fix.n > 0) {
		fprintf(out, "\n%sFix%s\n", col(flags, C_BOLD), col(flags, C_RESET));
		for (size_t i = 0; i < d->fix.n; i++) {
			char num[32];

			snprintf(num, sizeof num, "  %2zu. ", i + 1);
			wrap2(out, num, "      ", d->fix.v[i]);
		}
	}
	if (d->commands.n > 0) {
		fprintf(out, "\n%sCommands%s ($ to run, | configuration lines; review them: "
		    "sshdoctor never runs them for you)\n",
		    col(flags, C_BOLD), col(flags, C_RESET));
		for (size_t i = 0; i < d->commands.n; i++) {
			const char *c = d->commands.v[i];
			/* ssh_config and sshd_config keywords are CamelCase, shell
			 * commands are not: show configuration as such */
			int conf = c[0] >= 'A' && c[0] <= 'Z' && strchr(c, ' ') != NULL;

			fputs(conf ? "  | " : "  $ ", out);
			for (const char *p = c; *p; p++) {
				fputc(*p, out);
				if (*p == '\n')
					fputs(conf ? "  | " : "    ", out);
			}
			fputc('\n', out);
		}
	}
	if (d->nalts > 0) {
		fprintf(out, "\n%sPossible causes%s\n", col(flags, C_BOLD), col(flags, C_RESET));
		for (size_t i = 0; i < d->nalts; i++)
			fprintf(out, "  - %s: %s\n", d->alts[i].problem->id,
			    d->alts[i].problem->title);
	}
	if (d->next.n > 0) {
		fprintf(out, "\n%sNext%s\n", col(flags, C_BOLD), col(flags, C_RESET));
		for (size_t i = 0; i < d->next.n; i++)
			wrap2(out, "  - ", "    ", d->next.v[i]);
	}
	if (d->warnings.n > 0) {
		fprintf(out, "\n%sWarnings%s\n", col(flags, C_BOLD), col(flags, C_RESET));
		for (size_t i = 0; i < d->warnings.n; i++)
			fprintf(out, "  - %s\n", d->warnings.v[i]);
	}
	text_facts(out, d);
	fprintf(out, "\nLines: client %llu, server %llu, noise %llu\n",
	    (unsigned long long)session_lines(s, SIDE_CLIENT),
	    (unsigned long long)session_lines(s, SIDE_SERVER),
	    (unsigned long long)session_noise(s));
	text_connections(out, s, flags);
	return ferror(out) ? -1 : 0;
}

/* ---- JSON ---- */

static json_t *
jstr(const char *s)
{
	/* the text is sanitised UTF-8; json_string would reject anything else */
	json_t *j = json_string(s != NULL ? s : "");

	return j != NULL ? j : json_string("?");
}

static json_t *
jstrv(const struct strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, jstr(sv->v[i]));
	return a;
}

static int
internal_fact(const char *name)
{
	return strncmp(name, "cprop_", 6) == 0 || strncmp(name, "sprop_", 6) == 0;
}

/* One evidence line; "file" names the input when the caller knows it. */
static json_t *
json_evidence(const struct evidence *e, const struct report_sources *src)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", jstr(side_name(e->side)));
	json_object_set_new(o, "line", json_integer((json_int_t)e->line));
	json_object_set_new(o, "text", jstr(e->text));
	if (src != NULL && e->source >= 0 && (size_t)e->source < src->n &&
	    src->names[e->source] != NULL)
		json_object_set_new(o, "file", jstr(src->names[e->source]));
	return o;
}

static json_t *
json_diagnosis(const struct diagnosis *d, const struct report_sources *src)
{
	json_t *o = json_object(), *a, *f;

	json_object_set_new(o, "verdict", jstr(verdict_name(d->verdict)));
	json_object_set_new(o, "headline", jstr(d->headline));
	if (d->problem != NULL) {
		json_t *p = json_object(), *ev = json_array();

		json_object_set_new(p, "id", jstr(d->problem->id));
		json_object_set_new(p, "title", jstr(d->problem->title));
		json_object_set_new(p, "stage", jstr(d->stage));
		for (size_t i = 0; i < d->nevidence; i++)
			json_array_append_new(ev, json_evidence(&d->evidence[i], src));
		json_object_set_new(p, "evidence", ev);
		json_object_set_new(p, "explanation", jstr(d->explanation));
		json_object_set_new(p, "fix", jstrv(&d->fix));
		json_object_set_new(p, "commands", jstrv(&d->commands));
		if (d->problem->talk > 0)
			json_object_set_new(p, "talk", json_integer(d->problem->talk));
		json_object_set_new(o, "problem", p);
	} else
		json_object_set_new(o, "problem", json_null());
	a = json_array();
	for (size_t i = 0; i < d->nalts; i++) {
		json_t *x = json_object();

		json_object_set_new(x, "id", jstr(d->alts[i].problem->id));
		json_object_set_new(x, "title", jstr(d->alts[i].problem->title));
		json_object_set_new(x, "why", jstr(d->alts[i].why));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "alternatives", a);
	json_object_set_new(o, "next", jstrv(&d->next));
	if (d->verdict != VERDICT_PROBLEM && d->nevidence > 0) {
		json_t *ev = json_array();

		for (size_t i = 0; i < d->nevidence; i++)
			json_array_append_new(ev, json_evidence(&d->evidence[i], src));
		json_object_set_new(o, "evidence", ev);
	}
	a = json_array();
	for (int st = 0; st < STAGE_COUNT; st++) {
		json_t *x = json_object();

		json_object_set_new(x, "name", jstr(stage_name(st)));
		json_object_set_new(x, "status", jstr(stage_status_name(d->stages[st].status)));
		json_object_set_new(x, "ms", d->stages[st].ms >= 0 ?
		    json_integer(d->stages[st].ms) : json_null());
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "stages", a);
	json_object_set_new(o, "warnings", jstrv(&d->warnings));
	f = json_object();
	for (size_t i = 0; i < d->facts.n; i++)
		if (!internal_fact(d->facts.v[i].name) && d->facts.v[i].value != NULL)
			json_object_set_new(f, d->facts.v[i].name, jstr(d->facts.v[i].value));
	json_object_set_new(o, "facts", f);
	return o;
}

static json_t *
json_findings(const struct findings *f)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "severity", jstr(finding_severity_name(x->sev)));
		json_object_set_new(o, "id", jstr(x->id));
		json_object_set_new(o, "problem", x->problem ? jstr(x->problem) : json_null());
		json_object_set_new(o, "path", x->path ? jstr(x->path) : json_null());
		json_object_set_new(o, "text", jstr(x->text));
		json_object_set_new(o, "fix", x->fix ? jstr(x->fix) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

int
report_findings_json(FILE *out, const struct findings *f)
{
	json_t *o = json_object();
	int rc;

	json_object_set_new(o, "worst", jstr(finding_severity_name(findings_worst(f))));
	json_object_set_new(o, "findings", json_findings(f));
	rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
	return rc == 0 && !ferror(out) ? 0 : -1;
}

void
report_finding(FILE *out, const struct finding *f, int flags)
{
	static const char *const sevcol[] = { C_GREEN, "", C_YELLOW, C_RED };
	char tag[12];

	upper_tag(tag, sizeof tag, finding_severity_name(f->sev));
	fprintf(out, "  %s%-5s%s %s\n", col(flags, sevcol[f->sev]), tag,
	    col(flags, C_RESET), f->text);
	if (f->fix != NULL)
		fprintf(out, "        fix: %s\n", f->fix);
}

void
report_findings_text(FILE *out, const struct findings *f, int flags)
{
	for (size_t i = 0; i < f->n; i++)
		report_finding(out, &f->v[i], flags);
}

int
report_json(FILE *out, struct session *s, const struct report_sources *src,
    const struct findings *findings)
{
	const struct diagnosis *d = session_diagnosis(s);
	json_t *o, *lines;
	int rc;

	if (d != NULL)
		o = json_diagnosis(d, src);
	else {
		o = json_object();
		json_object_set_new(o, "verdict", jstr("inconclusive"));
		json_object_set_new(o, "problem", json_null());
		json_object_set_new(o, "alternatives", json_array());
		json_object_set_new(o, "next", json_pack("[s]", "The input holds no log lines."));
		json_object_set_new(o, "stages", json_array());
		json_object_set_new(o, "facts", json_object());
	}
	lines = json_object();
	json_object_set_new(lines, "client", json_integer((json_int_t)session_lines(s, SIDE_CLIENT)));
	json_object_set_new(lines, "server", json_integer((json_int_t)session_lines(s, SIDE_SERVER)));
	json_object_set_new(lines, "noise", json_integer((json_int_t)session_noise(s)));
	json_object_set_new(o, "lines", lines);
	if (session_conn_count(s, 0) > 1) {
		const struct summary_entry *sum;
		const struct conn_record *rec;
		json_t *js = json_object(), *jc = json_array();
		size_t n;

		sum = session_summary(s, &n);
		for (size_t i = 0; i < n; i++)
			json_object_set_new(js, sum[i].key, json_integer((json_int_t)sum[i].count));
		rec = session_failures(s, &n);
		for (size_t i = 0; i < n; i++) {
			json_t *x = json_object();

			json_object_set_new(x, "pid", rec[i].pid >= 0 ?
			    json_integer(rec[i].pid) : json_null());
			json_object_set_new(x, "from", rec[i].from ? jstr(rec[i].from) : json_null());
			json_object_set_new(x, "port", rec[i].port ? jstr(rec[i].port) : json_null());
			json_object_set_new(x, "user", rec[i].user ? jstr(rec[i].user) : json_null());
			json_object_set_new(x, "verdict", jstr(verdict_name(rec[i].verdict)));
			json_object_set_new(x, "problem", rec[i].problem ? jstr(rec[i].problem) : json_null());
			json_array_append_new(jc, x);
		}
		json_object_set_new(o, "summary", js);
		json_object_set_new(o, "connections", jc);
		json_object_set_new(o, "connections_seen",
		    json_integer((json_int_t)session_conn_count(s, 0)));
		json_object_set_new(o, "connections_matching",
		    json_integer((json_int_t)session_conn_count(s, 1)));
	}
	if (findings != NULL)
		json_object_set_new(o, "findings", json_findings(findings));
	rc = json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
	return rc == 0 && !ferror(out) ? 0 : -1;
}

/* ---- Markdown ---- */

/* Text inside a fenced block cannot close the fence: use a longer one. */
static void
md_fence(FILE *out, const char *lang, const char *const *lines, size_t n)
{
	size_t longest = 0;
	char fence[16];

	for (size_t i = 0; i < n; i++) {
		size_t run = 0;

		for (const char *p = lines[i]; *p; p++) {
			run = *p == '`' ? run + 1 : 0;
			if (run > longest)
				longest = run;
		}
	}
	longest = longest < 3 ? 3 : longest + 1;
	if (longest > sizeof fence - 1)
		longest = sizeof fence - 1;
	memset(fence, '`', longest);
	fence[longest] = '\0';
	fprintf(out, "%s%s\n", fence, lang);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s\n", lines[i]);
	fprintf(out, "%s\n", fence);
}

int
report_markdown(FILE *out, struct session *s, const struct report_sources *src)
{
	const struct diagnosis *d = session_diagnosis(s);
	const char *v;

	if (d == NULL) {
		fprintf(out, "## SSH diagnosis\n\nNo log lines to analyse.\n");
		return 0;
	}
	fprintf(out, "## SSH diagnosis: %s\n\n", d->headline);
	fprintf(out, "**Verdict:** %s", verdict_name(d->verdict));
	if (d->problem != NULL)
		fprintf(out, " — `%s` (stage %s)", d->problem->id, d->stage);
	fputs("\n\n| stage | status | time |\n|---|---|---|\n", out);
	for (int st = 0; st < STAGE_COUNT; st++) {
		fprintf(out, "| %s | %s | ", stage_name(st),
		    stage_status_name(d->stages[st].status));
		if (d->stages[st].ms >= 0)
			fprintf(out, "%lld ms", (long long)d->stages[st].ms);
		fputs(" |\n", out);
	}
	if (d->nevidence > 0) {
		const char **lines = xcalloc(d->nevidence, sizeof *lines);
		char **owned = xcalloc(d->nevidence, sizeof *owned);

		for (size_t i = 0; i < d->nevidence; i++) {
			owned[i] = xasprintf("%s:%llu  %s",
			    source_name(src, d->evidence[i].source, d->evidence[i].side),
			    (unsigned long long)d->evidence[i].line, d->evidence[i].text);
			lines[i] = owned[i];
		}
		fputs("\n### Evidence\n\n", out);
		md_fence(out, "text", lines, d->nevidence);
		for (size_t i = 0; i < d->nevidence; i++)
			free(owned[i]);
		free(owned);
		free(lines);
	}
	if (d->problem != NULL)
		fprintf(out, "\n### Cause\n\n%s\n", d->explanation);
	if (d->fix.n > 0) {
		fputs("\n### Fix\n\n", out);
		for (size_t i = 0; i < d->fix.n; i++)
			fprintf(out, "%zu. %s\n", i + 1, d->fix.v[i]);
	}
	if (d->commands.n > 0) {
		fputs("\n### Commands\n\n", out);
		md_fence(out, "sh", (const char *const *)d->commands.v, d->commands.n);
	}
	if (d->nalts > 0) {
		fputs("\n### Possible causes\n\n", out);
		for (size_t i = 0; i < d->nalts; i++)
			fprintf(out, "- `%s`: %s\n", d->alts[i].problem->id,
			    d->alts[i].problem->title);
	}
	if (d->next.n > 0) {
		fputs("\n### Next\n\n", out);
		for (size_t i = 0; i < d->next.n; i++)
			fprintf(out, "- %s\n", d->next.v[i]);
	}
	if (d->warnings.n > 0) {
		fputs("\n### Warnings\n\n", out);
		for (size_t i = 0; i < d->warnings.n; i++)
			fprintf(out, "- %s\n", d->warnings.v[i]);
	}
	fputs("\n### Software\n\n", out);
	v = facts_get(&d->facts, "client_software");
	fprintf(out, "- Client: %s\n", v ? v : "unknown");
	v = facts_get(&d->facts, "server_software");
	fprintf(out, "- Server: %s\n", v ? v : "unknown");
	fprintf(out, "\n_Lines read: client %llu, server %llu (noise %llu)._\n",
	    (unsigned long long)session_lines(s, SIDE_CLIENT),
	    (unsigned long long)session_lines(s, SIDE_SERVER),
	    (unsigned long long)session_noise(s));
	return ferror(out) ? -1 : 0;
}
