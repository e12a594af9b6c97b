/* Unit tests of the key broker's codecs (tools/kbs): base64 both alphabets
 * (RFC 4648 §10 vectors, strictness), request parsing, the report_data
 * binding (a vector computed independently in Python, docs/kbs.md), and the
 * report field checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "b64.h"
#include "request.h"
#include "snp.h"

static void test_b64_vectors(void **state)
{
	(void)state;
	static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *std[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	static const char *url[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	char out[32];
	uint8_t dec[32];
	for (int i = 0; i < 7; i++) {
		size_t n = strlen(in[i]);
		b64_std_encode((const uint8_t *)in[i], n, out);
		assert_string_equal(out, std[i]);
		b64_url_encode((const uint8_t *)in[i], n, out);
		assert_string_equal(out, url[i]);
		assert_int_equal(b64_std_decode(std[i], strlen(std[i]), dec, sizeof(dec)), n);
		assert_memory_equal(dec, in[i], n);
		assert_int_equal(b64_url_decode(url[i], strlen(url[i]), dec, sizeof(dec)), n);
	}
}

static void test_b64_strict(void **state)
{
	(void)state;
	uint8_t d[8];
	assert_int_equal(b64_std_decode("Zg", 2, d, 8), -1);      /* missing padding */
	assert_int_equal(b64_std_decode("Zh==", 4, d, 8), -1);    /* non-zero trailing bits */
	assert_int_equal(b64_std_decode("Zm9-", 4, d, 8), -1);    /* URL alphabet in standard */
	assert_int_equal(b64_url_decode("Zm9/", 4, d, 8), -1);    /* standard alphabet in URL */
	assert_int_equal(b64_url_decode("Zg==", 4, d, 8), -1);    /* padding in URL */
	assert_int_equal(b64_url_decode("Z", 1, d, 8), -1);       /* impossible length */
	assert_int_equal(b64_std_decode("Zm9vYmFy", 8, d, 5), -1); /* over capacity */
	assert_int_equal(b64_std_decode("=AAA", 4, d, 8), -1);
}

static void test_parse_auth(void **state)
{
	(void)state;
	struct kbs_auth_req a;
	char err[256];
	const char *good = "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"keel-vm\":\"default\"}}";
	assert_int_equal(kbs_parse_auth(good, strlen(good), &a, err, sizeof(err)), 0);
	assert_string_equal(a.vm, "default");
	static const char *bad[] = {
		"", "[]", "{", "{\"version\":\"0.4.0\",\"tee\":\"snp\"}",
		"{\"version\":\"0.4.0\",\"tee\":\"tdx\",\"extra-params\":{\"keel-vm\":\"a\"}}",
		"{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"keel-vm\":\"a/b\"}}",
		"{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"keel-vm\":\"\"}}",
		"{\"version\":\"0.4.0\",\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"keel-vm\":\"a\"}}",
		"{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"keel-vm\":\"a\\u0000b\"}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kbs_parse_auth(bad[i], strlen(bad[i]), &a, err, sizeof(err)), -1);
}

static void test_parse_ack(void **state)
{
	(void)state;
	struct kbs_ack_req a;
	char err[256];
	const char *good = "{\"vm\":\"v\",\"boot\":3,\"generation\":9,"
			   "\"mac\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}";
	assert_int_equal(kbs_parse_ack(good, strlen(good), &a, err, sizeof(err)), 0);
	assert_int_equal(a.boot, 3);
	assert_int_equal(a.generation, 9);
	const char *neg = "{\"vm\":\"v\",\"boot\":-1,\"generation\":9,\"mac\":\"AAAA\"}";
	assert_int_equal(kbs_parse_ack(neg, strlen(neg), &a, err, sizeof(err)), -1);
	const char *shortmac = "{\"vm\":\"v\",\"boot\":1,\"generation\":9,\"mac\":\"AAAA\"}";
	assert_int_equal(kbs_parse_ack(shortmac, strlen(shortmac), &a, err, sizeof(err)), -1);
}

/* docs/kbs.md's binding, checked against Python's hashlib on the same JCS. */
static void test_report_data_vector(void **state)
{
	(void)state;
	struct kbs_tee_key k;
	char jcs[512];
	uint8_t rd[64], want[48];
	strcpy(k.x, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
	strcpy(k.y, "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8");
	long n = kbs_runtime_data_jcs("ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=", &k, jcs, sizeof(jcs));
	assert_true(n > 0);
	snp_expected_report_data(jcs, (size_t)n, rd);
	const char *hex = "5bf737fd5715213c70a8c417b7c1e27f7b8a21b951589c9873814ba9b45705f1"
			  "f0e8373da7381900da2e6efe40cfc804";
	for (int i = 0; i < 48; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		want[i] = (uint8_t)v;
	}
	assert_memory_equal(rd, want, 48);
	for (int i = 48; i < 64; i++)
		assert_int_equal(rd[i], 0);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_report_fields(void **state)
{
	(void)state;
	static uint8_t r[SNP_REPORT_LEN];
	char err[256];
	memset(r, 0, sizeof(r));
	put32(r + SNP_OFF_VERSION, 2);
	put32(r + SNP_OFF_SIG_ALGO, 1);
	r[SNP_OFF_POLICY + 2] = 0x03; /* bits 16, 17 */
	assert_int_equal(snp_report_check_fields(r, false, err, sizeof(err)), 0);
	r[SNP_OFF_POLICY + 2] = 0x0b; /* + debug (bit 19) */
	assert_int_equal(snp_report_check_fields(r, false, err, sizeof(err)), -1);
	assert_int_equal(snp_report_check_fields(r, true, err, sizeof(err)), 0);
	r[SNP_OFF_POLICY + 2] = 0x07; /* + migrate MA (bit 18) */
	assert_int_equal(snp_report_check_fields(r, true, err, sizeof(err)), -1);
	r[SNP_OFF_POLICY + 2] = 0x03;
	put32(r + SNP_OFF_VMPL, 1);
	assert_int_equal(snp_report_check_fields(r, false, err, sizeof(err)), -1);
	put32(r + SNP_OFF_VMPL, 0);
	put32(r + SNP_OFF_VERSION, 1);
	assert_int_equal(snp_report_check_fields(r, false, err, sizeof(err)), -1);
	put32(r + SNP_OFF_VERSION, 2);
	put32(r + SNP_OFF_SIG_ALGO, 2);
	assert_int_equal(snp_report_check_fields(r, false, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64_vectors),     cmocka_unit_test(test_b64_strict),
		cmocka_unit_test(test_parse_auth),      cmocka_unit_test(test_parse_ack),
		cmocka_unit_test(test_report_data_vector), cmocka_unit_test(test_report_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
