/* kb.h: the knowledge base, loaded from kb/ (YAML, libyaml).
 *
 * Line rules, problem signatures and tree symptoms are all kb_rule: one
 * table the matcher runs over. Problems, symptoms, tree nodes and algorithm
 * notes are kept as loaded. See kb/README.md for the file format. */
#ifndef SSHD_KB_H
#define SSHD_KB_H

#include <stddef.h>

#include "util.h"

enum side { SIDE_ANY = 0, SIDE_CLIENT, SIDE_SERVER };

/* Layers (contract names, see layer_name()). */
enum layer {
	LAYER_TCP = 0, LAYER_VERSION, LAYER_KEX, LAYER_HOSTKEY, LAYER_AUTH,
	LAYER_CONN, LAYER_SFTP, LAYER_LOCAL, LAYER_OTHER, LAYER_COUNT
};

/* Stages of the ladder, in order (contract names, see stage_name()). */
enum stage {
	STAGE_TCP = 0, STAGE_VERSION, STAGE_KEX, STAGE_HOSTKEY, STAGE_AUTH,
	STAGE_CONN, STAGE_SFTP, STAGE_COUNT
};

#define EVENT_NONE		(-1)
#define EVENT_SESSION_END	(2 * STAGE_COUNT)
#define EVENT_START(stage)	(2 * (stage))
#define EVENT_OK(stage)		(2 * (stage) + 1)

enum rule_role { ROLE_DECISIVE = 0, ROLE_EVIDENCE };

struct kb_group {
	char		*name;
	unsigned	 number;
	int		 append;	/* named in the rule's append list */
};

struct kb_rule {
	char		*name;
	char		*file;		/* where it was defined, for messages */
	int		 line;
	enum side	 side;
	int		 layer;		/* enum layer, or -1 */
	int		 event;		/* EVENT_*, or EVENT_NONE */
	int		 after;		/* counts only after this event (same side) */
	char		*after_fact;	/* its facts count only once this fact is known */
	int		 min_gap_ms;	/* with times: counts only after this much silence */
	int		 level;		/* enum log_level to set, 0 to keep */
	char		*noise;		/* reason, or NULL */
	char		*match;
	char		*source;
	struct strv	 literals;	/* prefilter: any of these (case-folded) */
	int		 literal_given;	/* literals came from the file */
	struct strv	 append;	/* facts that collect every value */
	struct strv	 samples;
	struct strv	 near_misses;
	int		 problem;	/* index in kb->problems, or -1 */
	enum rule_role	 role;
	int		 symptom;	/* index in kb->symptoms, or -1 */
	void		*re;		/* pcre2_code */
	struct kb_group	*groups;
	size_t		 ngroups;
};

struct kb_problem {
	char		*id;
	char		*file;
	char		*title;
	char		*stage;		/* catalog stage word */
	int		 talk;
	int		 weight;
	char		*explanation;
	struct strv	 fix;
	struct strv	 commands;
	struct strv	 references;
};

struct kb_symptom {
	char		*name;
	char		*stage;
	char		*title;
	char		*root;		/* first tree node */
	int		 weight;
};

struct kb_answer {
	char		*key;
	char		*next;
};

struct kb_node {
	char		*id;
	int		 line;
	char		*ask;		/* question, or NULL for a leaf */
	char		*fact;		/* fact that answers it, or NULL */
	struct kb_answer *answers;
	size_t		 nanswers;
	struct strv	 collect;
	char		*leaf;		/* problem id, or NULL */
};

struct kb_algo {
	char		*name;
	char		*kind;
	char		*weak;
	char		*disabled_in;
	char		*removed_in;
	char		*note;
};

struct matcher;

struct kb {
	char		*dir;
	struct kb_rule	*rules;
	size_t		 nrules;
	struct kb_problem *problems;
	size_t		 nproblems;
	struct kb_symptom *symptoms;
	size_t		 nsymptoms;
	struct kb_node	*nodes;
	size_t		 nnodes;
	struct kb_algo	*algos;
	size_t		 nalgos;
	struct matcher	*matcher;
	int		 success;	/* index of "success", or -1 */
	int		 slow_login;	/* index of "slow-login", or -1 */
};

/* Where the KB is: $SSHDOCTOR_KB, else beside the program, else installed. */
const char *kb_default_dir(void);
/* Load and compile everything. On failure returns NULL and fills errors
 * with one "file:line: reason" line per problem found. */
struct kb *kb_load(const char *dir, struct strv *errors);
void kb_free(struct kb *kb);

const struct kb_problem *kb_problem(const struct kb *kb, const char *id);
int kb_problem_index(const struct kb *kb, const char *id);
const struct kb_node *kb_node(const struct kb *kb, const char *id);
const struct kb_algo *kb_algo(const struct kb *kb, const char *name);

const char *layer_name(int layer);
int layer_from_name(const char *name);
const char *stage_name(int stage);
int stage_from_name(const char *name);	/* ladder stages only, else -1 */
const char *side_name(enum side side);

#endif
