/*
 * apps/netstack/config.c: the manifest arg= parser. Good lines give the
 * fields; every kind of bad word is refused with the reason the log shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static struct netstack_config c;
static char err[200];

static int parse(const char *arg)
{
	return netstack_config_parse(arg, &c, err, sizeof(err));
}

static void refused(const char *arg, const char *why)
{
	if (parse(arg) == 0)
		fail_msg("accepted: %s", arg);
	if (strstr(err, why) == NULL)
		fail_msg("%s: error \"%s\" does not say \"%s\"", arg, err, why);
}

static void test_dhcp_default(void **state)
{
	(void)state;
	assert_int_equal(parse("dev=1 serve=2 peer=10.0.2.2:8080"), 0);
	assert_int_equal(c.dev, 1);
	assert_int_equal(c.serve, 2);
	assert_int_equal(c.dhcp, 1);
	assert_int_equal(c.peer, 0x0a000202u);
	assert_int_equal(c.peer_port, 8080);
	assert_int_equal(parse("  peer=10.0.2.2:1   ip=dhcp serve=63 dev=7 "), 0);
	assert_int_equal(c.dhcp, 1);
	assert_int_equal(c.serve, 63);
	assert_int_equal(c.peer_port, 1);
	assert_string_equal(err, "");
}

static void test_static(void **state)
{
	(void)state;
	assert_int_equal(parse("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.2 peer=10.0.2.2:65535"), 0);
	assert_int_equal(c.dhcp, 0);
	assert_int_equal(c.addr, 0x0a00020fu);
	assert_int_equal(c.prefix, 24);
	assert_int_equal(c.gw, 0x0a000202u);
	assert_int_equal(c.peer_port, 65535);
	assert_int_equal(netstack_mask(24), 0xffffff00u);
	assert_int_equal(netstack_mask(30), 0xfffffffcu);
	assert_int_equal(netstack_mask(0), 0);
	assert_int_equal(netstack_mask(32), 0xffffffffu);
	/* /30: two hosts; a peer outside the subnet is the gateway's business. */
	assert_int_equal(parse("dev=1 serve=2 ip=192.168.0.1/30 gw=192.168.0.2 peer=1.2.3.4:443"),
	                 0);
	assert_int_equal(parse("dev=1 serve=2 ip=172.16.5.4/8 gw=172.0.0.1 peer=10.0.2.2:80"), 0);
}

static void test_words(void **state)
{
	(void)state;
	refused("", "dev=SLOT");
	refused("serve=2 peer=10.0.2.2:80", "dev=SLOT");
	refused("dev=1 peer=10.0.2.2:80", "serve=SLOT");
	refused("dev=1 serve=2", "peer=A.B.C.D:PORT");
	refused("dev=1 serve=2 peer=10.0.2.2:80 mtu=9000", "unknown word: \"mtu=9000\"");
	refused("dev=1 serve=2 peer=10.0.2.2:80 dev=3", "given twice: \"dev=3\"");
	refused("dev=1 serve=2 ip=dhcp ip=dhcp peer=10.0.2.2:80", "given twice");
	refused("dev=1 serve=1 peer=10.0.2.2:80", "the same slot");
	refused("dev=0 serve=2 peer=10.0.2.2:80", "a slot is 1..63: \"dev=0\"");
	refused("dev=64 serve=2 peer=10.0.2.2:80", "a slot is 1..63");
	refused("dev=01 serve=2 peer=10.0.2.2:80", "a slot is 1..63");
	refused("dev=1 serve=+2 peer=10.0.2.2:80", "a slot is 1..63");
	refused("dev=1 serve= peer=10.0.2.2:80", "a slot is 1..63");
	refused("DEV=1 serve=2 peer=10.0.2.2:80", "unknown word");
	refused("dev=1 serve=2 peer=10.0.2.2:80 "
	        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	        "word too long");
}

static void test_peer(void **state)
{
	static const char *const bad[] = {
	    "peer=10.0.2.2",           "peer=10.0.2.2:",     "peer=10.0.2.2:0",
	    "peer=10.0.2.2:65536",     "peer=10.0.2.2:080",  "peer=10.0.2.2:8080:1",
	    "peer=10.0.2:80",          "peer=10.0.2.2.1:80", "peer=10.0.2.256:80",
	    "peer=10.0.02.2:80",       "peer=10..2.2:80",    "peer=.10.0.2:80",
	    "peer=0.0.0.0:80",         "peer=127.0.0.1:80",  "peer=224.0.0.1:80",
	    "peer=255.255.255.255:80", "peer=host:80",       "peer=10.0.2.2:-1",
	    "peer=10.0.2.2 :80",       "peer=:80",
	};
	char line[128];
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "dev=1 serve=2 %s", bad[i]);
		refused(line, "peer= wants");
	}
}

static void test_ip(void **state)
{
	static const char *const bad_ip[] = {
	    "ip=10.0.2.15",
	    "ip=10.0.2.15/",
	    "ip=10.0.2.15/0",
	    "ip=10.0.2.15/31",
	    "ip=10.0.2.15/32",
	    "ip=10.0.2.15/024",
	    "ip=10.0.2.0/24",
	    "ip=10.0.2.255/24",
	    "ip=127.0.0.2/8",
	    "ip=0.1.2.3/8",
	    "ip=240.0.0.1/8",
	    "ip=DHCP",
	    "ip=",
	    "ip=10.0.2.15/24/1",
	    "ip=1.2.3/24",
	};
	char line[128];
	(void)state;
	for (size_t i = 0; i < sizeof(bad_ip) / sizeof(bad_ip[0]); i++) {
		snprintf(line, sizeof(line), "dev=1 serve=2 %s gw=10.0.2.2 peer=10.0.2.2:80",
		         bad_ip[i]);
		refused(line, "ip= wants dhcp or A.B.C.D/N");
	}
	refused("dev=1 serve=2 ip=10.0.2.15/24 peer=10.0.2.2:80", "needs gw=");
	refused("dev=1 serve=2 gw=10.0.2.2 peer=10.0.2.2:80", "not dhcp");
	refused("dev=1 serve=2 ip=dhcp gw=10.0.2.2 peer=10.0.2.2:80", "not dhcp");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.3.2 peer=10.0.2.2:80",
	        "inside ip='s subnet");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.15 peer=10.0.2.2:80",
	        "inside ip='s subnet");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.255 peer=10.0.2.2:80",
	        "inside ip='s subnet");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.0 peer=10.0.2.2:80",
	        "inside ip='s subnet");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=127.0.0.1 peer=10.0.2.2:80", "gw= wants");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2 peer=10.0.2.2:80", "gw= wants");
	refused("dev=1 serve=2 ip=10.0.2.15/24 gw=10.0.2.2 peer=10.0.2.15:80", "our own address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dhcp_default), cmocka_unit_test(test_static),
	    cmocka_unit_test(test_words),        cmocka_unit_test(test_peer),
	    cmocka_unit_test(test_ip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
