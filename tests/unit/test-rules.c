// SPDX-License-Identifier: GPL-2.0-or-later
/* test-rules.c - rule loading, validation, classification, prefilter, limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "kt-rules.h"
#include "../../src/rules-internal.h"

static char tmpdir[256];

static const char *rules_dir(void)
{
	static char buf[1024];
	const char *top = getenv("top_srcdir");

	snprintf(buf, sizeof(buf), "%s/rules", top ? top : ".");
	return buf;
}

/* CPU time of this process: other load on the machine does not count */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *write_file(const char *name, const char *content)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	return path;
}

static struct kt_ruleset *load_shipped(void)
{
	struct kt_ruleset *rs;
	struct kt_error err;

	assert_int_equal(kt_ruleset_new(&rs), 0);
	assert_int_equal(kt_ruleset_add_path(rs, rules_dir(), &err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	return rs;
}

/* --- collecting check output -------------------------------------------- */
struct collected {
	char lines[32][700];
	int n;
};

static void collect(const struct kt_error *e, void *ud)
{
	struct collected *c = ud;

	if (c->n < 32)
		kt_error_format(e, c->lines[c->n++], sizeof(c->lines[0]));
}

/* Load one YAML text as a file, run the check, return the collected messages. */
static int check_text(const char *name, const char *yaml, struct collected *out)
{
	struct kt_ruleset *rs;
	struct kt_error err;
	int n;

	memset(out, 0, sizeof(*out));
	kt_ruleset_new(&rs);
	(void)kt_ruleset_add_path(rs, write_file(name, yaml), &err);
	n = kt_ruleset_check(rs, collect, out);
	kt_ruleset_free(rs);
	return n;
}

static void expect_line(const struct collected *c, const char *want)
{
	char path[1024];

	/* messages are "<tmpdir>/<file>:line: rule: msg" */
	snprintf(path, sizeof(path), "%s/%s", tmpdir, want);
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->lines[i], path) == 0)
			return;
	for (int i = 0; i < c->n; i++)
		fprintf(stderr, "# got: %s\n", c->lines[i]);
	fail_msg("missing: %s/%s", tmpdir, want);
}

#define RULE_HEAD "rules:\n"
#define GOOD_RULE(id, pat, ex) \
	"  - id: " id "\n    category: test\n    severity: info\n    match: '" pat "'\n" \
	"    explain: \"x\"\n    examples:\n      - match: '" ex "'\n"

/* --- tests ----------------------------------------------------------------- */
static void test_shipped_rules_pass_check(void **state)
{
	struct kt_ruleset *rs = load_shipped();
	struct collected c = { 0 };
	static const char *const cats[] = {
		"usb", "ata", "scsi", "nvme", "block", "filesystem", "memory", "lockup", "net",
		"firewall", "pcie", "thermal", "acpi", "firmware", "cpu", "userspace", "lsm",
		"audit", "taint", "module", "clock", "kvm",
	};

	assert_int_equal(kt_ruleset_check(rs, collect, &c), 0);
	assert_true(kt_ruleset_count(rs) >= 150);
	assert_true(kt_ruleset_examples_checked(rs) >= 250);
	for (size_t k = 0; k < sizeof(cats) / sizeof(cats[0]); k++) {
		bool found = false;

		for (size_t i = 0; i < kt_ruleset_count(rs); i++)
			found |= strcmp(kt_rule_category(kt_ruleset_rule(rs, i)), cats[k]) == 0;
		if (!found)
			fail_msg("no rule for category %s", cats[k]);
	}
	/* every shipped rule has a prefilter literal of 4+ bytes */
	for (size_t i = 0; i < kt_ruleset_count(rs); i++) {
		const struct kt_rule *r = kt_ruleset_rule(rs, i);

		if (strlen(kt_rule_literal(r)) < 4)
			fail_msg("%s: literal '%s' too short", kt_rule_id(r), kt_rule_literal(r));
	}
	kt_ruleset_free(rs);
}

struct seed {
	const char *text, *rule, *category, *f1, *v1, *f2, *v2;
};

static const struct seed seeds[] = {
	{ "usb 2-1: New USB device found, idVendor=0781, idProduct=5567, bcdDevice= 1.00",
	  "usb.new-device", "usb", "vendor", "0781", "product", "5567" },
	{ "ata1.00: exception Emask 0x0 SAct 0x0 SErr 0x0 action 0x6 frozen",
	  "ata.exception", "ata", "port", "ata1", "action", "0x6" },
	{ "BUG: Bad page map in process firefox  pte:8000000123456067 pmd:12345067",
	  "memory.bad-page-map", "memory", "comm", "firefox", NULL, NULL },
	{ "e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
	  "net.link-up-intel", "net", "iface", "eth0", "speed", "1000 Mbps" },
	{ "[UFW BLOCK] IN=eth0 OUT= SRC=192.168.1.100 DST=192.168.1.1",
	  "firewall.ufw", "firewall", "src", "192.168.1.100", "dst", "192.168.1.1" },
	{ "Out of memory: Killed process 92 (hog) total-vm:197636kB, anon-rss:191868kB, "
	  "file-rss:4kB, shmem-rss:648kB, UID:0 pgtables:420kB oom_score_adj:0",
	  "memory.oom-killed", "memory", "comm", "hog", "anon_rss", "191868" },
	{ "watchdog: BUG: soft lockup - CPU#0 stuck for 32s! [sh:92]",
	  "lockup.soft", "lockup", "cpu", "0", "comm", "sh" },
	{ "firefox[1234]: segfault at 0 ip 00007f1234567890 sp 00007ffd12345678 error 4 in "
	  "libxul.so[7f1234000000+5000000]", "userspace.segfault", "userspace", "comm", "firefox",
	  "object", "libxul.so" },
};

static void test_seed_examples(void **state)
{
	struct kt_ruleset *rs = load_shipped();
	struct kt_classifier *c;
	char buf[512];

	assert_int_equal(kt_classifier_new(rs, &c), 0);
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		const struct seed *s = &seeds[i];
		struct kt_match m;
		const struct kt_rule *r = kt_classify(c, s->text, strlen(s->text), NULL, 0, &m);
		size_t len;
		const char *v;

		assert_non_null(r);
		assert_string_equal(kt_rule_id(r), s->rule);
		assert_string_equal(kt_rule_category(r), s->category);
		v = kt_match_field(&m, s->f1, &len);
		assert_non_null(v);
		assert_int_equal(len, strlen(s->v1));
		assert_memory_equal(v, s->v1, len);
		if (s->f2) {
			v = kt_match_field(&m, s->f2, &len);
			assert_non_null(v);
			assert_int_equal(len, strlen(s->v2));
			assert_memory_equal(v, s->v2, len);
		}
		assert_true(kt_match_explain(&m, buf, sizeof(buf)) > 0);
		assert_null(strchr(buf, '{'));
	}
	{
		struct kt_match m;
		const char *t = "usb 2-1: New USB device found, idVendor=0781, idProduct=5567";

		assert_non_null(kt_classify(c, t, strlen(t), NULL, 0, &m));
		kt_match_explain(&m, buf, sizeof(buf));
		assert_string_equal(buf, "USB device 0781:5567 connected on port 2-1");
		/* truncation behaves like snprintf */
		assert_int_equal(kt_match_explain(&m, buf, 5), strlen("USB device 0781:5567 connected on port 2-1"));
		assert_string_equal(buf, "USB ");
		assert_int_equal(kt_rule_severity(m.rule), 6);
	}
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

/* prefiltered result == brute force over all rules, for every shipped example */
static void test_prefilter_property(void **state)
{
	struct kt_ruleset *rs = load_shipped();
	struct kt_classifier *c;
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	size_t checked = 0;

	assert_int_equal(kt_classifier_new(rs, &c), 0);
	for (size_t i = 0; i < rs->nrules; i++) {
		for (size_t e = 0; e < rs->rules[i]->nexamples; e++) {
			/* shifted by 0..8 bytes: every alignment of the sampled q-grams */
			for (size_t shift = 0; shift <= 8; shift++) {
				char t[2048];
				size_t n;
				const struct kt_rule *brute = NULL, *got;
				struct kt_match m;

				snprintf(t, sizeof(t), "%.*s%s", (int)shift, "x: x: x: ",
					 rs->rules[i]->examples[e].text);
				n = strlen(t);
				for (size_t k = 0; k < rs->nrules && !brute; k++)
					if (pcre2_match(rs->rules[k]->code, (PCRE2_SPTR)t, n, 0, 0,
							md, NULL) >= 0)
						brute = rs->rules[k];
				got = kt_classify(c, t, n, NULL, 0, &m);
				if (got != brute)
					fail_msg("'%s': prefilter %s, brute force %s", t,
						 got ? got->id : "-", brute ? brute->id : "-");
				checked++;
			}
		}
	}
	assert_true(checked > 250 * 9);
	pcre2_match_data_free(md);
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

static void test_validation_errors(void **state)
{
	struct collected c;
	char want[600];

	check_text("unknown.yaml", RULE_HEAD GOOD_RULE("a.one", "^foo (?<x>\\d+)", "foo 1")
		   "  - id: a.two\n    category: test\n    severity: info\n    bogus: 1\n"
		   "    match: '^bar'\n    explain: \"x\"\n    examples:\n      - match: 'bar'\n", &c);
	expect_line(&c, "unknown.yaml:12: a.two: unknown key 'bogus'");

	check_text("missing.yaml", RULE_HEAD
		   "  - id: a.one\n    category: test\n    severity: info\n"
		   "    explain: \"x\"\n    examples:\n      - match: 'bar'\n", &c);
	expect_line(&c, "missing.yaml:2: a.one: missing required key 'match'");

	check_text("dup.yaml", RULE_HEAD GOOD_RULE("a.one", "^foo", "foo")
		   GOOD_RULE("a.one", "^bar", "bar"), &c);
	snprintf(want, sizeof(want), "dup.yaml:9: a.one: duplicate id (first defined at %s/dup.yaml:2)",
		 tmpdir);
	expect_line(&c, want);

	check_text("pattern.yaml", RULE_HEAD GOOD_RULE("a.bad", "^foo(bar", "foo"), &c);
	expect_line(&c, "pattern.yaml:5: a.bad: pattern does not compile at offset 8: missing closing parenthesis");

	check_text("tmpl.yaml", RULE_HEAD
		   "  - id: a.tmpl\n    category: test\n    severity: info\n"
		   "    match: '^foo (?<x>\\d+)'\n    explain: \"got {y}\"\n"
		   "    examples:\n      - match: 'foo 1'\n", &c);
	expect_line(&c, "tmpl.yaml:6: a.tmpl: explain names group 'y' that the pattern lacks");

	check_text("nomatch.yaml", RULE_HEAD GOOD_RULE("a.ex", "^foo (?<x>\\d+)", "bar 1")
		   "      - match: 'foo 2'\n        fields: [x=3]\n      - nomatch: 'foo 4'\n", &c);
	expect_line(&c, "nomatch.yaml:8: a.ex: match example does not match: 'bar 1'");
	expect_line(&c, "nomatch.yaml:9: a.ex: example field 'x' expected '3', got '2'");
	expect_line(&c, "nomatch.yaml:11: a.ex: nomatch example matches: 'foo 4'");

	check_text("shadow.yaml", RULE_HEAD GOOD_RULE("a.general", "^foo", "foo")
		   GOOD_RULE("a.specific", "^foo bar", "foo bar"), &c);
	snprintf(want, sizeof(want), "shadow.yaml:15: a.specific: match example is taken by "
		 "earlier rule 'a.general' (%s/shadow.yaml:2): 'foo bar'", tmpdir);
	expect_line(&c, want);

	check_text("sev.yaml", RULE_HEAD
		   "  - id: a.sev\n    category: test\n    severity: loud\n"
		   "    match: '^foo'\n    explain: \"x\"\n    examples:\n      - match: 'foo'\n", &c);
	expect_line(&c, "sev.yaml:4: a.sev: unknown severity 'loud' (emerg alert crit err warn notice info debug)");

	check_text("yaml.yaml", "rules:\n  - id: a.x\n    match: \"unterminated\n", &c);
	assert_true(c.n >= 1);
	assert_non_null(strstr(c.lines[0], "yaml.yaml:"));
}

static void test_not_a_rule_file_is_skipped(void **state)
{
	struct kt_ruleset *rs;
	struct kt_error err;

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("kinds.yaml",
				"kinds:\n  - id: x\n    kind: BUG\n"), &err), 0);
	assert_int_equal(kt_ruleset_count(rs), 0);
	kt_ruleset_free(rs);
}

static void test_match_limit(void **state)
{
	struct kt_ruleset *rs;
	struct kt_classifier *c;
	struct kt_error err;
	struct kt_match m;
	char line[20001];
	double t0;

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("evil.yaml", RULE_HEAD
				GOOD_RULE("a.evil", "(a+)+$", "aaa")), &err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	memset(line, 'a', sizeof(line) - 2);
	line[sizeof(line) - 2] = 'b';
	t0 = now();
	assert_null(kt_classify(c, line, sizeof(line) - 1, NULL, 0, &m));
	assert_true(now() - t0 < 2.0);
	assert_int_equal(kt_classifier_limit_hits(c), 1);
	assert_ptr_equal(kt_classifier_limit_rule(c), kt_ruleset_find(rs, "a.evil"));
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

static void test_alias_bomb(void **state)
{
	struct kt_ruleset *rs;
	struct kt_error err;

	kt_ruleset_new(&rs);
	/* aliases are refused outright (CYAML_CFG_NO_ALIAS): no expansion at all */
	assert_int_equal(kt_ruleset_add_path(rs, write_file("bomb.yaml",
		"rules:\n  - id: &a a.b\n    tags: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"), &err),
		-EINVAL);
	assert_non_null(strstr(err.msg, "alias"));
	assert_int_equal(err.line, 3);
	/* the classic nested bomb fails at its first level, in bounded time */
	assert_int_equal(kt_ruleset_add_path(rs, write_file("bomb2.yaml",
		"rules:\n  - id: a.b\n    tags: &b [x, x, x, x, x, x, x, x, x]\n"
		"    category: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"    severity: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"    match: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"), &err), -EINVAL);
	assert_int_equal(err.line, 4);
	kt_ruleset_free(rs);
}

static void test_bad_files(void **state)
{
	struct kt_ruleset *rs;
	struct kt_error err;
	char path[512];

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("latin1.yaml",
				"rules:\n  - id: a.x\n    explain: \"caf\xe9\"\n"), &err), -EILSEQ);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "not valid UTF-8"));

	snprintf(path, sizeof(path), "%s/no-such-dir", tmpdir);
	assert_int_equal(kt_ruleset_add_path(rs, path, &err), -ENOENT);
	assert_string_equal(err.msg, "cannot open: No such file or directory");
	assert_int_equal(kt_ruleset_load_defaults(rs, path, NULL, &err), -ENOENT);

	if (geteuid() != 0) {
		const char *p = write_file("secret.yaml", "rules: []\n");

		chmod(p, 0);
		assert_int_equal(kt_ruleset_add_path(rs, p, &err), -EACCES);
		assert_non_null(strstr(err.msg, "Permission denied"));
	}
	kt_ruleset_free(rs);
}

static void test_defaults_override(void **state)
{
	struct kt_ruleset *rs;
	struct kt_error err;
	char shipped[300], etc[300], path[400];
	FILE *f;

	snprintf(shipped, sizeof(shipped), "%s/shipped", tmpdir);
	snprintf(etc, sizeof(etc), "%s/etc", tmpdir);
	mkdir(shipped, 0755);
	mkdir(etc, 0755);
#define PUT(dir, name, text) do { snprintf(path, sizeof(path), "%s/%s", dir, name); \
		f = fopen(path, "w"); fputs(text, f); fclose(f); } while (0)
	PUT(shipped, "a.yaml", RULE_HEAD GOOD_RULE("ship.a", "^a", "a"));
	PUT(shipped, "b.yaml", RULE_HEAD GOOD_RULE("ship.b", "^b", "b"));
	PUT(etc, "a.yaml", RULE_HEAD GOOD_RULE("local.a", "^a", "a"));
	PUT(etc, "c.yaml", RULE_HEAD GOOD_RULE("local.c", "^c", "c"));
	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_load_defaults(rs, shipped, etc, &err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_ruleset_count(rs), 3);
	assert_string_equal(kt_rule_id(kt_ruleset_rule(rs, 0)), "local.a");
	assert_string_equal(kt_rule_id(kt_ruleset_rule(rs, 1)), "ship.b");
	assert_string_equal(kt_rule_id(kt_ruleset_rule(rs, 2)), "local.c");
	kt_ruleset_free(rs);
}

static enum kt_why_result why_res[8];
static bool why_win[8];
static int why_n;

static int why_cb(const struct kt_why *w, void *ud)
{
	if (why_n < 8) {
		why_res[why_n] = w->result;
		why_win[why_n] = w->winner;
	}
	why_n++;
	return 0;
}

static void test_priority_and_why(void **state)
{
	struct kt_ruleset *rs;
	struct kt_classifier *c;
	struct kt_error err;
	struct kt_match m;
	enum kt_why_result res[3];
	bool win[3];
	int n = 0;

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("prio.yaml", RULE_HEAD
		GOOD_RULE("p.general", "^foo", "foo")
		GOOD_RULE("p.other", "^zzzz", "zzzz")
		"  - id: p.specific\n    category: test\n    severity: err\n    priority: 5\n"
		"    match: '^foo bar (?<n>\\d+)'\n    explain: \"bar {n}\"\n"
		"    examples:\n      - match: 'foo bar 1'\n"), &err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	assert_string_equal(kt_rule_id(kt_classify(c, "foo bar 7", 9, NULL, 0, &m)), "p.specific");
	assert_string_equal(kt_rule_id(kt_classify(c, "foo baz", 7, NULL, 0, &m)), "p.general");

	why_n = 0;
	assert_int_equal(kt_classify_why(c, "foo bar 7", 9, NULL, 0, why_cb, NULL), 0);
	n = why_n;
	memcpy(res, why_res, sizeof(res));
	memcpy(win, why_win, sizeof(win));
	assert_int_equal(n, 3);
	assert_int_equal(res[0], KT_WHY_MATCH);		/* p.specific, priority 5 */
	assert_true(win[0]);
	assert_int_equal(res[1], KT_WHY_MATCH);		/* p.general: shadowed */
	assert_false(win[1]);
	assert_int_equal(res[2], KT_WHY_PREFILTER);	/* p.other */
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

static void test_subsystem_filter(void **state)
{
	struct kt_ruleset *rs;
	struct kt_classifier *c;
	struct kt_error err;
	struct kt_match m;

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("sub.yaml", RULE_HEAD
		"  - id: s.usb\n    category: test\n    severity: info\n    subsystem: usb\n"
		"    match: '^thing'\n    explain: \"x\"\n    examples:\n      - match: 'thing'\n"),
		&err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	assert_non_null(kt_classify(c, "thing", 5, NULL, 0, &m));
	assert_non_null(kt_classify(c, "thing", 5, "usb", 3, &m));
	assert_null(kt_classify(c, "thing", 5, "pci", 3, &m));
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

static void test_many_rules(void **state)
{
	struct kt_ruleset *rs;
	struct kt_error err;
	char path[400];
	FILE *f;
	double t0, dt;

	snprintf(path, sizeof(path), "%s/many.yaml", tmpdir);
	f = fopen(path, "w");
	fputs("rules:\n", f);
	for (int i = 0; i < 10000; i++)
		fprintf(f, "  - id: gen.r%d\n    category: gen\n    severity: info\n"
			"    match: '^generated message %d: (?<v>\\d+)'\n    explain: \"v={v}\"\n"
			"    examples:\n      - match: 'generated message %d: 1'\n", i, i, i);
	fclose(f);
	kt_ruleset_new(&rs);
	t0 = now();
	assert_int_equal(kt_ruleset_add_path(rs, path, &err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	dt = now() - t0;
	print_message("# 10000 rules loaded and compiled in %.3f s of CPU\n", dt);
	/*
	 * A guard against quadratic loading, not a benchmark (scripts/bench.sh
	 * prints the figure): typically 0.3 s, so 3 s of CPU means a regression.
	 */
	if (!getenv("KT_TEST_NO_TIMING"))	/* sanitizers, valgrind */
		assert_true(dt < 3.0);
	assert_int_equal(kt_ruleset_count(rs), 10000);
	kt_ruleset_free(rs);
}

static void test_derive_literal(void **state)
{
	static const char *const cases[][2] = {
		{ "^usb (?<p>\\S+): new device", ": new device" },
		{ "^foo|bar", "" },
		{ "abc?def", "def" },
		{ "ab+cdef", "cdef" },
		{ "x{0,3}yz", "yz" },
		{ "\\[UFW (?<a>\\w+)\\] IN=", "[ufw " },
		{ "EXT4-fs \\(", "ext4-fs (" },
		{ "(?x) a b c", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *l = kt_rules_derive_literal(cases[i][0]);

		if (strcmp(l, cases[i][1]) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i][0], l, cases[i][1]);
		free(l);
	}
}

static void test_derive_anchor(void **state)
{
	static const char *const cases[][2] = {
		{ "^usb (?<p>\\S+): new", "usb " },
		{ "^(?<port>ata\\d+)\\.(?<dev>\\d+): cmd", "ata" },
		{ "^XFS \\((?<dev>[^)]+)\\)", "xfs (" },
		{ "^(?:kvm: )?disabled", "" },
		{ "^(?:sd|scsi) x", "" },
		{ "^(?<a>ab|cd)e", "" },
		{ "^abc?d", "ab" },
		{ "^ab+c", "ab" },
		{ "^(?<a>ab)+c", "ab" },
		{ "^(?<a>ab)?c", "" },
		{ "^(?=ab)abc", "" },
		{ "^(?i)usb", "" },
		{ "(?m)^usb x", "" },
		{ "^usb|hub", "" },
		{ "usb x", "" },
		{ "^(?x) a b", "" },
		{ "^EXT4-fs \\(", "ext4-fs (" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *l = kt_rules_derive_anchor(cases[i][0]);

		if (strcmp(l, cases[i][1]) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i][0], l, cases[i][1]);
		free(l);
	}
}

/* a short unanchored literal limits the q-gram stride; every offset is still found */
static void test_prefilter_offsets(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: t.short\n    category: t\n    severity: info\n"
		"    match: 'Q=(?<v>\\d+)'\n    explain: \"v={v}\"\n"
		"    examples:\n      - match: 'Q=1'\n"
		"  - id: t.long\n    category: t\n    severity: info\n"
		"    match: 'frobnicator exploded: (?<v>\\d+)'\n    explain: \"v={v}\"\n"
		"    examples:\n      - match: 'frobnicator exploded: 1'\n"
		"  - id: t.anchored\n    category: t\n    severity: info\n"
		"    match: '^zz: (?<v>\\d+)'\n    explain: \"v={v}\"\n"
		"    examples:\n      - match: 'zz: 1'\n";
	static const char *const lits[][2] = {
		{ "q=7", "t.short" }, { "frobnicator exploded: 7", "t.long" },
	};
	struct kt_ruleset *rs;
	struct kt_classifier *c;
	struct kt_error err;
	struct kt_match m;
	const struct kt_rule *r;

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("offsets.yaml", yaml), &err), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	for (size_t l = 0; l < 2; l++) {
		for (size_t off = 0; off < 12; off++) {
			char t[128];

			snprintf(t, sizeof(t), "%.*s%s tail", (int)off, "abcdefghijkl", lits[l][0]);
			/* pcre2 is case-sensitive: "q=7" must not match, "Q=7" must */
			r = kt_classify(c, t, strlen(t), NULL, 0, &m);
			if (l == 0) {
				assert_null(r);
				t[off] = 'Q';
				r = kt_classify(c, t, strlen(t), NULL, 0, &m);
			}
			assert_non_null(r);
			assert_string_equal(kt_rule_id(r), lits[l][1]);
		}
	}
	r = kt_classify(c, "zz: 5", 5, NULL, 0, &m);
	assert_non_null(r);
	assert_string_equal(kt_rule_id(r), "t.anchored");
	assert_null(kt_classify(c, "zz: 5", 1, NULL, 0, &m));
	assert_null(kt_classify(c, "x zz: 5", 7, NULL, 0, &m));
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

/* the plain answer kt_classifier_watched() must never say "no" against */
static bool watched_plain(const char *t, size_t n, const char *const *lits, const bool *anch,
			  size_t nl)
{
	size_t blanks = 0;

	/* anchored: at the start, or after up to 8 leading blanks */
	while (blanks < n && blanks < 8 && (t[blanks] == ' ' || t[blanks] == '\t'))
		blanks++;
	for (size_t i = 0; i < nl; i++) {
		size_t m = strlen(lits[i]);

		for (size_t at = 0; at + m <= n; at++) {
			if (strncasecmp(t + at, lits[i], m) == 0)
				return true;
			if (anch[i] && at == 0 && blanks) {
				at = blanks - 1;
				continue;
			}
			if (anch[i])
				break;
		}
	}
	return false;
}

static void test_watched_literals(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: t.usb\n    category: t\n    severity: info\n"
		"    match: '^usb (?<v>\\S+): new'\n    explain: \"v={v}\"\n"
		"    examples:\n      - match: 'usb 1-1: new'\n";
	/* report-start-like literals: anchored short and long, floating long;
	 * and ones another implies (only one of each such set is looked for) */
	static const char *const lits[] = { "BUG: ", "Kernel panic - not syncing: ",
					    " invoked oom-killer: ", "20",
					    "Kernel panic - not syncing: Fatal", "BUG: KASAN: ",
					    "BUG: ", "2024/", "x invoked oom-killer: gfp",
					    "Kernel panic - not" };
	static const bool anch[] = { true, true, false, true, true, true, true, true, false,
				     true };
	const size_t nlits = sizeof(lits) / sizeof(lits[0]);
	static const char *const texts[] = {
		"BUG: KASAN: use-after-free", "bug: folded too", "x BUG: not at start",
		"Kernel panic - not syncing: Fatal exception", "Kernel panic - not synced",
		"syz-executor invoked oom-killer: gfp_mask=0x0", "invoked oom-killer:",
		"a long line that says nothing of interest at all, really, nothing",
		"2024-01-01 a date", "usb 1-1: new high-speed USB device", "", "B", "BU",
		"Kernel panic - not", "Kernel panic - no", "2024/01/01 SYZFATAL", "20",
		" BUG: indented", "\t\tKernel panic - not syncing: x", "        BUG: 8 blanks",
		"         BUG: 9 blanks", " \t 2024", "  ", " B",
	};
	struct kt_ruleset *rs;
	struct kt_classifier *c;
	struct kt_error err;
	struct kt_match m;

	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_add_path(rs, write_file("watch.yaml", yaml), &err), 0);
	assert_int_equal(kt_ruleset_watch(rs, "x", 0, true), -EINVAL);
	for (size_t i = 0; i < nlits; i++)
		assert_int_equal(kt_ruleset_watch(rs, lits[i], strlen(lits[i]), anch[i]), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = texts[i];
		size_t n = strlen(t);
		bool want = watched_plain(t, n, lits, anch, nlits);

		kt_classify(c, t, n, NULL, 0, &m);
		/* the classifier's answer is exact on these (folded) */
		assert_int_equal(kt_classifier_watched(c), want);
		assert_int_equal(*kt_classifier_watched_flag(c), want);
		/* and rules still classify as before */
		if (i == 9)
			assert_non_null(kt_classify(c, t, n, NULL, 0, &m));
	}
	/* every offset of the floating literal, every cut of the text */
	for (size_t off = 0; off < 40; off++) {
		char t[128];

		snprintf(t, sizeof(t), "%.*s invoked oom-killer: gfp", (int)off,
			 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
		for (size_t n = 0; n <= strlen(t); n++) {
			kt_classify(c, t, n, NULL, 0, &m);
			assert_int_equal(kt_classifier_watched(c),
					 watched_plain(t, n, lits, anch, nlits));
		}
	}
	/* not watching: after leading blanks nothing is looked for (an
	 * unreliable answer, but the rules classify as before); watching
	 * again, exact again */
	kt_classifier_set_watching(c, false);
	kt_classify(c, " BUG: indented", 14, NULL, 0, &m);
	assert_false(kt_classifier_watched(c));
	assert_non_null(kt_classify(c, texts[9], strlen(texts[9]), NULL, 0, &m));
	kt_classifier_set_watching(c, true);
	kt_classify(c, " BUG: indented", 14, NULL, 0, &m);
	assert_true(kt_classifier_watched(c));
	kt_classifier_free(c);
	kt_ruleset_free(rs);

	/* a watched literal too short to look for: always "maybe" */
	kt_ruleset_new(&rs);
	assert_int_equal(kt_ruleset_watch(rs, "!", 1, false), 0);
	assert_int_equal(kt_ruleset_compile(rs, &err), 0);
	assert_int_equal(kt_classifier_new(rs, &c), 0);
	kt_classify(c, "nothing", 7, NULL, 0, &m);
	assert_true(kt_classifier_watched(c));
	kt_classifier_free(c);
	kt_ruleset_free(rs);
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kt-test-rules.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rules_pass_check),
		cmocka_unit_test(test_seed_examples),
		cmocka_unit_test(test_prefilter_property),
		cmocka_unit_test(test_validation_errors),
		cmocka_unit_test(test_not_a_rule_file_is_skipped),
		cmocka_unit_test(test_match_limit),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_defaults_override),
		cmocka_unit_test(test_priority_and_why),
		cmocka_unit_test(test_subsystem_filter),
		cmocka_unit_test(test_many_rules),
		cmocka_unit_test(test_derive_literal),
		cmocka_unit_test(test_derive_anchor),
		cmocka_unit_test(test_prefilter_offsets),
		cmocka_unit_test(test_watched_literals),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, setup, teardown);
}
