// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-rules.c - the YAML rule-file loader: the input is one rule file,
 * loaded with kt_ruleset_add_buffer(), compiled, checked (which runs every
 * `match:`/`nomatch:` example it declares), and used to classify a few
 * kernel lines, rendering every explanation and advice template.
 */
#include "fuzz-util.h"
#include "kt-error.h"
#include "kt-rules.h"

static const char *const lines[] = {
	"usb 1-1: new high-speed USB device number 2 using xhci_hcd",
	"EXT4-fs error (device sda1): ext4_lookup:1701: inode #2: comm ls: deleted inode",
	"Out of memory: Killed process 1234 (firefox) total-vm:123kB",
	"BUG: unable to handle page fault for address: ffff888000000000",
	"ata1.00: failed command: READ FPDMA QUEUED",
	"",
	"\xff\xfe{}()[]*+?",
};

static void on_problem(const struct kt_error *problem, void *userdata)
{
	char buf[512];

	kt_error_format(problem, buf, sizeof(buf));
	(void)userdata;
}

static int on_why(const struct kt_why *why, void *userdata)
{
	kt_why_result_name(why->result);
	kt_rule_id(why->rule);
	(void)userdata;
	return 0;
}

static void classify(struct kt_classifier *c, const char *text, size_t len)
{
	struct kt_match m;
	char buf[256];

	if (kt_classify(c, text, len, NULL, 0, &m)) {
		kt_match_explain(&m, buf, sizeof(buf));
		kt_match_advice(&m, buf, sizeof(buf));
		kt_match_render(&m, "{x}{{}}", buf, 4);
	}
	kt_classify(c, text, len, "usb", 3, &m);
	kt_classify_why(c, text, len, "scsi", 4, on_why, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kt_ruleset *rs = NULL;
	struct kt_classifier *c = NULL;
	struct kt_error err;
	char *text;

	if (kt_ruleset_new(&rs) < 0)
		return 0;
	kt_error_clear(&err);
	kt_ruleset_add_buffer(rs, "fuzz.yaml", (const char *)data, size, &err);
	kt_ruleset_check(rs, on_problem, NULL);
	kt_ruleset_compile(rs, &err);
	for (size_t i = 0; i < kt_ruleset_count(rs); i++) {
		const struct kt_rule *r = kt_ruleset_rule(rs, i);

		kt_ruleset_find(rs, kt_rule_id(r));
		for (size_t t = 0; t < kt_rule_tag_count(r); t++)
			kt_rule_tag(r, t);
	}
	if (kt_classifier_new(rs, &c) == 0) {
		kt_classifier_set_limits(c, 10000, 1000);
		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
			classify(c, lines[i], strlen(lines[i]));
		/* the input itself as a line, in an exact-size buffer */
		text = fuzz_dup(data, size > 512 ? 512 : size);
		classify(c, text, size > 512 ? 512 : size);
		free(text);
		kt_classifier_free(c);
	}
	kt_ruleset_free(rs);
	return 0;
}
