/* kernel/task/manifest.c: the grammar of docs/manifest.md, accepted and rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "task/manifest.h"

static struct manifest m;
static char err[256];

static int parse(const char *text)
{
	memset(err, 0, sizeof(err));
	return manifest_parse(&m, text, strlen(text), err, sizeof(err));
}

/* Parse must fail and the message must contain `want`. */
static void reject(const char *text, const char *want)
{
	int r = parse(text);
	if (r == 0 || !strstr(err, want))
		print_error("input: %s\nerror: %s\nwanted: %s\n", text, err, want);
	assert_true(r < 0);
	assert_non_null(strstr(err, want));
}

static void test_docs_example(void **state)
{
	(void)state;
	const char *t = "# name binary memory\n"
			"task echo-server binary=echo-server memory=4M\n"
			"task echo-client binary=echo-client memory=8M arg=10000\n"
			"task vtpm        binary=vtpm        memory=64M protocol=2\n"
			"task hostile     binary=hostile     memory=2M expect=fault arg=read-kernel\n"
			"# channel  TASK:HANDLE  TASK:HANDLE  \xe2\x80\x94 each end\n"
			"channel echo-client:1 echo-server:1\n";
	assert_int_equal(parse(t), 0);
	assert_int_equal(m.ntasks, 4);
	assert_int_equal(m.nchannels, 1);
	assert_string_equal(m.tasks[0].name, "echo-server");
	assert_string_equal(m.tasks[1].arg, "10000");
	assert_int_equal(m.tasks[1].memory, 8u << 20);
	assert_int_equal(m.tasks[0].protocol, -1);
	assert_int_equal(m.tasks[2].protocol, 2);
	assert_int_equal(m.tasks[3].expect, MANIFEST_EXPECT_FAULT);
	assert_int_equal(m.tasks[0].expect, MANIFEST_EXPECT_EXIT0);
	assert_int_equal(m.channels[0].a.task, 1);
	assert_int_equal(m.channels[0].a.handle, 1);
	assert_int_equal(m.channels[0].b.task, 0);
	assert_int_equal(manifest_find_task(&m, "vtpm"), 2);
	assert_int_equal(manifest_find_task(&m, "nope"), -1);
}

static void test_fields(void **state)
{
	(void)state;
	assert_int_equal(parse("task a binary=A_b.c memory=5000 expect=any arg=\"x y  z\" "
			       "device=virtio-blk device=virtio-net\r\n"
			       "channel b:63 a:0 # trailing comment\n"
			       "task b binary=b memory=1G#comment"),
			 0);
	assert_int_equal(m.tasks[0].memory, 8192);
	assert_int_equal(m.tasks[1].memory, 1ull << 30);
	assert_string_equal(m.tasks[0].binary, "A_b.c");
	assert_string_equal(m.tasks[0].arg, "x y  z");
	assert_int_equal(m.tasks[0].expect, MANIFEST_EXPECT_ANY);
	assert_int_equal(m.tasks[0].ndevices, 2);
	assert_string_equal(m.tasks[0].devices[1], "virtio-net");
	assert_int_equal(m.tasks[0].caps, 0);
	assert_false(manifest_caps_grant(m.tasks[0].caps, MANIFEST_CAP_ATTEST));
	/* a channel may name a task declared later */
	assert_int_equal(m.channels[0].a.task, 1);
	assert_int_equal(m.channels[0].a.handle, 63);
	assert_int_equal(parse("task a binary=a memory=1M cap=attest\ntask b binary=b memory=1M\n"), 0);
	assert_true(manifest_caps_grant(m.tasks[0].caps, MANIFEST_CAP_ATTEST));
	assert_false(manifest_caps_grant(m.tasks[1].caps, MANIFEST_CAP_ATTEST));
	assert_int_equal(parse("task a binary=a memory=1K arg=\"\"\n"), 0);
	assert_string_equal(m.tasks[0].arg, "");
	assert_int_equal(m.tasks[0].memory, 4096);
	/* the same slot number in two different tasks is fine; a task may talk to itself */
	assert_int_equal(parse("task a binary=a memory=1M\ntask b binary=b memory=1M\n"
			       "channel a:1 b:1\nchannel a:2 a:3\n"),
			 0);
	assert_int_equal(m.nchannels, 2);
}

static void test_reject_directive_and_names(void **state)
{
	(void)state;
	reject("task a binary=a memory=1M\nservice b\n", "line 2: unknown directive 'service'");
	reject("task A binary=a memory=1M\n", "line 1: task: bad name 'A'");
	reject("task a_b binary=a memory=1M\n", "bad name 'a_b'");
	reject("task\n", "task: bad name");
	reject("task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa binary=a memory=1M\n", "bad name"); /* 32 chars */
	assert_int_equal(parse("task aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa binary=a memory=1M\n"), 0); /* 31 */
	reject("task a binary=a memory=1M\ntask a binary=b memory=1M\n",
	       "line 2: duplicate task 'a'");
	reject("task a binary=../x memory=1M\n", "task 'a': binary: bad entry name '../x'");
	reject("task a binary=a/b memory=1M\n", "binary: bad entry name");
	reject("task a binary=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb memory=1M\n", "binary: bad entry name");
	reject("task a binary= memory=1M\n", "binary: bad entry name");
	reject("", "no tasks");
	reject("# only a comment\n\n", "no tasks");
}

static void test_reject_fields(void **state)
{
	(void)state;
	reject("task a memory=1M\n", "task 'a': missing binary=");
	reject("task a binary=a\n", "task 'a': missing memory=");
	reject("task a binary=a memory=1M colour=red\n", "unknown field 'colour'");
	reject("task a binary=a memory=1M memory=2M\n", "duplicate field 'memory'");
	reject("task a binary=a memory=1M standalone\n", "expected key=value, got 'standalone'");
	reject("task a binary=a memory=12Q\n", "line 1: task 'a': memory: bad size '12Q'");
	reject("task a binary=a memory=0\n", "memory: bad size '0'");
	reject("task a binary=a memory=M\n", "memory: bad size 'M'");
	reject("task a binary=a memory=-1\n", "memory: bad size");
	reject("task a binary=a memory=1k\n", "memory: bad size");
	reject("task a binary=a memory=18446744073709551615\n", "memory: bad size");
	reject("task a binary=a memory=99999999999999999999999\n", "memory: bad size");
	reject("task a binary=a memory=17179869184G\n", "memory: bad size");
	reject("task a binary=a memory=1M expect=crash\n", "expect: unknown value 'crash'");
	reject("task a binary=a memory=1M protocol=x\n", "protocol: bad number 'x'");
	reject("task a binary=a memory=1M protocol=0\n", "protocol: bad number '0'");
	reject("task a binary=a memory=1M protocol=4294967296\n",
	       "protocol: bad number '4294967296' (1..4294967295, decimal or 0x hex; 0 is the kernel's core protocol)");
	reject("task a binary=a memory=1M protocol=0x100000000\n", "protocol: bad number '0x100000000' (1..4294967295");
	reject("task a binary=a memory=1M protocol=0x\n", "protocol: bad number '0x'");
	reject("task a binary=a memory=1M protocol=-1\n", "protocol: bad number '-1'");
	reject("task a binary=a memory=1M protocol=2\ntask b binary=b memory=1M protocol=2\n",
	       "line 2: task 'b': protocol: already served by task 'a'");
	reject("task a binary=a memory=1M arg=\"abc\n", "unterminated quote");
	reject("task a binary=a memory=1M arg=ab\"c d\"\n", "arg: bad character");
	reject("task a binary=a memory=1M arg=\"ab\"c\n", "arg: the quotes must enclose");
	reject("task a binary=a memory=1M arg=a\x01z\n", "arg: bad character");
	{
		char line[400];
		snprintf(line, sizeof(line), "task a binary=a memory=1M arg=%0*d\n", MANIFEST_ARG_MAX, 0);
		reject(line, "arg: too long");
	}
	reject("task a binary=a memory=1M device=Disk\n", "device: bad name 'Disk'");
	reject("task a binary=a memory=1M device=d device=d\n", "device: duplicate 'd'");
	reject("task a binary=a memory=1M cap=root\n", "cap: unknown capability 'root' (attest)");
	reject("task a binary=a memory=1M cap=attest cap=attest\n", "cap: duplicate 'attest'");
	reject("task a binary=a memory=1M device=a device=b device=c device=d device=e device=f "
	       "device=g device=h device=i\n",
	       "device: too many");
}

static void test_reject_channels(void **state)
{
	(void)state;
	const char *two = "task a binary=a memory=1M\ntask b binary=b memory=1M\n";
	char buf[512];
#define WITH(ch) (snprintf(buf, sizeof(buf), "%s%s", two, ch), buf)
	reject(WITH("channel a:1 c:1\n"), "line 3: channel: unknown task 'c'");
	reject(WITH("channel a:1 b:1\nchannel a:1 b:2\n"),
	       "line 4: task 'a': channel: slot already used: '1'");
	reject(WITH("channel a:5 a:5\n"), "slot already used");
	reject(WITH("channel a:64 b:1\n"), "task 'a': channel: bad slot '64' (0-63)");
	reject(WITH("channel a:1 b:99999999999999999999999\n"), "bad slot");
	reject(WITH("channel a:x b:1\n"), "bad slot 'x'");
	reject(WITH("channel a: b:1\n"), "bad slot ''");
	reject(WITH("channel a b:1\n"), "expected TASK:SLOT, got 'a'");
	reject(WITH("channel a:1\n"), "expected two ends");
	reject(WITH("channel a:1 b:1 b:2\n"), "channel: unexpected 'b:2'");
#undef WITH
}

/* kind=guest (docs/guest.md) and the router's slot 0 of protocol tasks. */
static void test_guest_and_router_slot(void **state)
{
	(void)state;
	assert_int_equal(parse("task v binary=v memory=1M protocol=2\ntask g binary=g memory=2M kind=guest\n"), 0);
	assert_int_equal(m.tasks[1].kind, MANIFEST_KIND_GUEST);
	assert_int_equal(m.tasks[0].kind, MANIFEST_KIND_TASK);
	assert_int_equal(parse("task g binary=g memory=2M kind=task\n"), 0);
	assert_int_equal(m.tasks[0].kind, MANIFEST_KIND_TASK);
	reject("task g binary=g memory=2M kind=vm\n", "task 'g': kind: unknown value 'vm'");
	reject("task g binary=g memory=2M kind=guest kind=guest\n", "duplicate field 'kind'");
	reject("task g binary=g memory=2M kind=guest\ntask h binary=g memory=2M kind=guest\n",
	       "task 'h': kind: a second guest");
	reject("task g binary=g memory=2M kind=guest protocol=3\n", "a guest serves no protocol");
	reject("task g binary=g memory=2M protocol=3 kind=guest\n", "a guest serves no protocol");
	reject("task g binary=g memory=2M kind=guest\ntask a binary=a memory=1M\nchannel a:1 g:1\n",
	       "task 'g': channel: a guest has no handles");
	reject("task v binary=v memory=1M protocol=2\ntask a binary=a memory=1M\nchannel a:1 v:0\n",
	       "task 'v': channel: slot 0 of a protocol task is the router's");
	assert_int_equal(parse("task v binary=v memory=1M protocol=2\ntask a binary=a memory=1M\nchannel a:0 v:1\n"), 0);
	assert_int_equal(parse("task v binary=v memory=1M\ntask a binary=a memory=1M\nchannel a:1 v:0\n"), 0);
}

static void test_limits(void **state)
{
	(void)state;
	static char big[16384];
	size_t o = 0;
	int i;
	for (i = 0; i < MANIFEST_MAX_TASKS; i++)
		o += (size_t)sprintf(big + o, "task t%d binary=t memory=1M\n", i);
	assert_int_equal(parse(big), 0);
	assert_int_equal(m.ntasks, MANIFEST_MAX_TASKS);
	sprintf(big + o, "task t%d binary=t memory=1M\n", i);
	reject(big, "line 17: too many tasks");
	o = (size_t)sprintf(big, "task a binary=a memory=1M\ntask b binary=b memory=1M\n");
	for (i = 0; i < MANIFEST_MAX_CHANNELS; i++)
		o += (size_t)sprintf(big + o, "channel a:%d b:%d\n", i, i);
	assert_int_equal(parse(big), 0);
	assert_int_equal(m.nchannels, MANIFEST_MAX_CHANNELS);
	sprintf(big + o, "channel a:1 b:1\n");
	reject(big, "too many channels");
}

static void test_embedded_nul_and_small_err(void **state)
{
	(void)state;
	const char t[] = "task a binary=a memory=1M\0 junk\n";
	char small[8];
	assert_true(manifest_parse(&m, t, sizeof(t) - 1, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "memory: bad size '1M?'"));
	/* found by the fuzzer: a NUL inside a directive token must not compare equal */
	assert_true(manifest_parse(&m, "task\0\0\0 a binary=a memory=1M\n", 30, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "unknown directive 'task?""?""?'"));
	/* a tiny error buffer is filled and terminated, never overrun */
	memset(small, 'x', sizeof(small));
	assert_true(manifest_parse(&m, "bogus", 5, small, sizeof(small)) < 0);
	assert_int_equal(small[7], '\0');
	assert_true(manifest_parse(&m, "bogus", 5, NULL, 0) < 0);
	/* the length is honoured: text past len is not read */
	assert_int_equal(manifest_parse(&m, "task a binary=a memory=1M\ngarbage", 26, err, sizeof(err)), 0);
}

/* Every 32-bit protocol number but 0 is accepted (and routable: test_svsm_router.c). */
static void test_protocol_range(void **state)
{
	(void)state;
	assert_int_equal(parse("task a binary=a memory=1M protocol=4294967295\n"
			       "task b binary=b memory=1M protocol=0x4B45454C\n"
			       "task c binary=c memory=1M protocol=16\n"
			       "task d binary=d memory=1M protocol=2147483648\n"), 0);
	assert_int_equal(m.tasks[0].protocol, 0xffffffffll);
	assert_int_equal(m.tasks[1].protocol, 0x4b45454cll);
	assert_int_equal(m.tasks[2].protocol, 16);
	assert_int_equal(m.tasks[3].protocol, 2147483648ll);
	reject("task a binary=a memory=1M protocol=77\ntask b binary=b memory=1M protocol=0x4d\n",
	       "task 'b': protocol: already served by task 'a'");
}

/* buffer= fields: carried in the task for the router and keel-hosted. */
/* data=ENTRY: one read-only bundle entry per task (docs/manifest.md). */
static void test_data(void **state)
{
	(void)state;
	assert_int_equal(parse("task uefivars binary=uefivars memory=32M data=OVMF_VARS_4M.ms.fd\n"
			       "task other binary=other memory=1M data=OVMF_VARS_4M.ms.fd\n"
			       "task plain binary=plain memory=1M\n"),
			 0);
	assert_string_equal(m.tasks[0].data, "OVMF_VARS_4M.ms.fd");
	assert_string_equal(m.tasks[1].data, "OVMF_VARS_4M.ms.fd"); /* two tasks may share one entry */
	assert_string_equal(m.tasks[2].data, "");
	/* Longest name: MANIFEST_NAME_MAX - 1 characters. */
	assert_int_equal(parse("task a binary=a memory=1M data=abcdefghijABCDEFGHIJ0123456789_\n"), 0);
	assert_string_equal(m.tasks[0].data, "abcdefghijABCDEFGHIJ0123456789_");
	reject("task a binary=a memory=1M data=x data=y\n", "line 1: task 'a': duplicate field 'data'");
	reject("task a binary=a memory=1M data=\n",
	       "task 'a': data: bad entry name '' (1-31 of [A-Za-z0-9._-], not starting with '.')");
	reject("task a binary=a memory=1M data=.hidden\n", "task 'a': data: bad entry name '.hidden'");
	reject("task a binary=a memory=1M data=../etc/passwd\n", "data: bad entry name '../etc/passwd'");
	reject("task a binary=a memory=1M data=dir/file\n", "data: bad entry name 'dir/file'");
	reject("task a binary=a memory=1M data=\"a b\"\n", "data: bad entry name");
	reject("task a binary=a memory=1M data=abcdefghijABCDEFGHIJ0123456789_x\n", "data: bad entry name");
	reject("task a binary=a memory=1M data=manifest\n",
	       "task 'a': data: 'manifest' is the bundle's manifest entry, not a data file");
	reject("task g binary=g memory=1M kind=guest data=x\n", "task 'g': data: a guest has no data file");
}

static void test_buffer_rules(void **state)
{
	(void)state;
	assert_int_equal(parse("task v binary=v memory=1M protocol=2 buffer=1:page\n"
			       "task e binary=e memory=1M buffer=3:rcx+rdx:262144 protocol=77 buffer=0x10:page\n"
			       "task n binary=n memory=1M protocol=5\n"), 0);
	assert_int_equal(m.tasks[0].nbuffers, 1);
	assert_int_equal(m.tasks[0].buffers[0].call, 1);
	assert_int_equal(m.tasks[0].buffers[0].kind, SVSM_BUFFER_PAGE);
	assert_int_equal(m.tasks[1].nbuffers, 2);
	assert_int_equal(m.tasks[1].buffers[0].kind, SVSM_BUFFER_RCX_RDX);
	assert_int_equal(m.tasks[1].buffers[0].max, 262144);
	assert_int_equal(m.tasks[1].buffers[1].call, 16);
	assert_int_equal(m.tasks[2].nbuffers, 0);
	reject("task e binary=e memory=1M protocol=77 buffer=3:rcx+rdx:262145\n",
	       "line 1: task 'e': buffer: MAX 262145 is over the SVSM buffer limit 262144");
	reject("task e binary=e memory=1M protocol=77 buffer=3:pages\n",
	       "task 'e': buffer: unknown form 'pages' (CALL:page, CALL:rcx+rdx:MAX or CALL:rcx-desc:SIZE@OFF,...)");
	reject("task e binary=e memory=1M protocol=77 buffer=1:page buffer=1:rcx+rdx:8\n",
	       "task 'e': buffer: call 1 has a rule already: '1:rcx+rdx:8'");
	reject("task e binary=e memory=1M buffer=1:page\n",
	       "task 'e': buffer: only a task with protocol= has buffer rules");
	reject("task e binary=e memory=1M protocol=77 buffer=\n", "buffer: expected CALL:FORM, got ''");
	reject("task e binary=e memory=1M protocol=77 buffer=0:page buffer=1:page buffer=2:page buffer=3:page "
	       "buffer=4:page buffer=5:page buffer=6:page buffer=7:page buffer=8:page\n",
	       "buffer: too many (max 8)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docs_example),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_reject_directive_and_names),
		cmocka_unit_test(test_reject_fields),
		cmocka_unit_test(test_reject_channels),
		cmocka_unit_test(test_guest_and_router_slot),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_embedded_nul_and_small_err),
		cmocka_unit_test(test_protocol_range),
		cmocka_unit_test(test_buffer_rules),
		cmocka_unit_test(test_data),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
