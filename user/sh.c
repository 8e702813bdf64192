/*
 * user/sh.c: the shell. A line is a list of pipelines separated by ';' or
 * '&' (run in the background); a pipeline is commands joined by '|'; a
 * command is words with redirections '<' file, '>' file, '>>' file.
 * Built in: cd, exit. Parsing is recursive descent over the line in
 * place; each command runs in a child that sets up its own fds.
 */
#include "user/user.h"

#define MAXWORDS	32
#define MAXCMDS		8

struct cmd {
	char *argv[MAXWORDS];
	char *in, *out;
	int append;
};

static int fail(const char *what, const char *arg)
{
	printf(2, "sh: %s %s\n", what, arg ? arg : "");
	return -1;
}

struct tok {
	int kind;		/* 'w' word, '|', ';', '&', '<', '>', 'a' (>>) */
	char *word;
};

/* Split the line in place into tokens; returns how many (or -1: too many). */
static int tokenize(char *s, struct tok *t, int max)
{
	int n = 0;

	while (*s) {
		if (strchr(" \t\r\n", *s)) {
			*s++ = '\0';
			continue;
		}
		if (n == max)
			return -1;
		if (*s == '>' && s[1] == '>') {
			t[n++].kind = 'a';
			*s++ = '\0';
			*s++ = '\0';
		} else if (strchr("|;&<>", *s)) {
			t[n++].kind = *s;
			*s++ = '\0';
		} else {
			t[n].kind = 'w';
			t[n++].word = s;
			while (*s && !strchr(" \t\r\n|;&<>", *s))
				s++;
		}
	}
	return n;
}

/* Parse one command from tokens t[*ip..n) up to a separator. */
static int parse_cmd(struct tok *t, int n, int *ip, struct cmd *c)
{
	int i = *ip, words = 0;

	memset(c, 0, sizeof(*c));
	for (; i < n && strchr("w<>a", t[i].kind); i++) {
		if (t[i].kind == 'w') {
			if (words == MAXWORDS - 1)
				return fail("too many words in a command", 0);
			c->argv[words++] = t[i].word;
			continue;
		}
		if (i + 1 >= n || t[i + 1].kind != 'w')
			return fail("syntax error: a redirection needs a file name", 0);
		if (t[i].kind == '<')
			c->in = t[i + 1].word;
		else
			c->out = t[i + 1].word, c->append = t[i].kind == 'a';
		i++;
	}
	*ip = i;
	return words ? 0 : fail("syntax error: missing command", 0);
}

static void run_child(struct cmd *c, int in, int out)
{
	char path[128];

	if (in != 0) {
		close(0);
		dup(in);
		close(in);
	}
	if (out != 1) {
		close(1);
		dup(out);
		close(out);
	}
	if (c->in) {
		close(0);
		if (open(c->in, O_RDONLY) < 0)
			fail("cannot open", c->in), exit2(1);
	}
	if (c->out) {
		close(1);
		if (open(c->out, O_WRONLY | O_CREATE | (c->append ? O_APPEND : O_TRUNC)) < 0)
			fail("cannot create", c->out), exit2(1);
	}
	exec(c->argv[0], c->argv);
	if (c->argv[0][0] != '/') {
		snprintf(path, sizeof(path), "/bin/%s", c->argv[0]);
		exec(path, c->argv);
	}
	fail("cannot run", c->argv[0]);
	exit2(127);
}

/* Run a pipeline of n commands; wait for it unless background. */
static void run_pipeline(struct cmd *cmds, int n, int background)
{
	int pids[MAXCMDS], in = 0;

	for (int i = 0; i < n; i++) {
		int p[2] = { -1, 1 };
		if (i + 1 < n && pipe(p) < 0) {
			fail("pipe failed", 0);
			n = i;			/* wait for the stages already running */
			break;
		}
		pids[i] = fork();
		if (pids[i] < 0)
			fail("fork failed", 0);
		if (pids[i] == 0) {
			if (p[0] >= 0)
				close(p[0]);
			run_child(&cmds[i], in, p[1]);
		}
		if (in != 0)
			close(in);
		if (p[1] != 1)
			close(p[1]);
		in = p[0];
	}
	if (in != 0)
		close(in);			/* a pipe left open by a failed stage */
	if (background && n > 0) {
		printf(1, "[%d]\n", pids[n - 1]);
		return;
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			waitpid(pids[i], 0, 0);
}

static int builtin(struct cmd *c)
{
	if (!strcmp(c->argv[0], "cd")) {
		if (chdir(c->argv[1] ? c->argv[1] : "/") < 0)
			fail("cannot cd to", c->argv[1]);
		return 1;
	}
	if (!strcmp(c->argv[0], "exit"))
		exit2(c->argv[1] ? atoi(c->argv[1]) : 0);
	return 0;
}

static void run_line(char *line)
{
	struct tok t[64];
	struct cmd cmds[MAXCMDS];
	int n = tokenize(line, t, 64), i = 0;

	if (n < 0) {
		fail("line too long", 0);
		return;
	}
	while (i < n) {
		int k = 0;
		for (;;) {
			if (k == MAXCMDS) {
				fail("too many commands in a pipeline", 0);
				return;
			}
			if (parse_cmd(t, n, &i, &cmds[k]) < 0)
				return;
			k++;
			if (i < n && t[i].kind == '|') {
				i++;
				continue;
			}
			break;
		}
		int background = i < n && t[i].kind == '&';
		if (i < n)
			i++;			/* the ';' or '&' */
		if (!(k == 1 && builtin(&cmds[0])))
			run_pipeline(cmds, k, background);
		while (waitpid(-1, 0, 1) > 0)	/* reap finished background jobs */
			;
	}
}

int main(int argc, char *argv[])
{
	static char line[512];
	int fd = 0;

	if (argc > 1 && (fd = open(argv[1], O_RDONLY)) < 0)	/* a script */
		return fail("cannot open", argv[1]), exit2(1), 0;
	for (;;) {
		if (fd == 0)
			printf(2, "$ ");
		int i = 0;
		char c;
		while (i + 1 < (int)sizeof(line) && read(fd, &c, 1) == 1) {
			line[i++] = c;
			if (c == '\n')
				break;
		}
		if (i == 0)
			exit2(0);		/* end of input */
		line[i] = '\0';
		if (line[i - 1] != '\n' && i + 1 == (int)sizeof(line)) {
			fail("line too long", 0);
			while (read(fd, &c, 1) == 1 && c != '\n')	/* skip the rest */
				;
			continue;
		}
		if (line[0] == '#')
			continue;
		run_line(line);
	}
}
