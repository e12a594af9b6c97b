/*
 * TPM 2.0 constants the vtpm uses when it talks to libtpms itself
 * (TPM 2.0 Part 2, "Structures"); names as in the spec.
 */
#ifndef VTPM_TPM_CONST_H
#define VTPM_TPM_CONST_H

#define TPM_HEADER_SIZE 10u
#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_ST_SESSIONS 0x8002u

#define TPM_CC_NV_DefineSpace 0x0000012Au
#define TPM_CC_CreatePrimary 0x00000131u
#define TPM_CC_NV_Write 0x00000137u
#define TPM_CC_NV_WriteLock 0x00000138u
#define TPM_CC_Startup 0x00000144u
#define TPM_CC_Shutdown 0x00000145u
#define TPM_CC_FlushContext 0x00000165u
#define TPM_CC_NV_ReadPublic 0x00000169u

#define TPM_SU_CLEAR 0x0000u
#define TPM_RC_SUCCESS 0x000u
#define TPM_RC_INITIALIZE 0x100u
#define TPM_RC_FAILURE 0x101u

#define TPM_RH_ENDORSEMENT 0x4000000Bu
#define TPM_RH_PLATFORM 0x4000000Cu
#define TPM_RS_PW 0x40000009u

#define TPM_ALG_RSA 0x0001u
#define TPM_ALG_SHA256 0x000Bu
#define TPM_ALG_AES 0x0006u
#define TPM_ALG_NULL 0x0010u
#define TPM_ALG_ECC 0x0023u
#define TPM_ALG_CFB 0x0043u
#define TPM_ECC_NIST_P256 0x0003u

/* TPMA_OBJECT bits (Part 2, 8.3). */
#define TPMA_OBJECT_FIXEDTPM (1u << 1)
#define TPMA_OBJECT_FIXEDPARENT (1u << 4)
#define TPMA_OBJECT_SENSITIVEDATAORIGIN (1u << 5)
#define TPMA_OBJECT_ADMINWITHPOLICY (1u << 7)
#define TPMA_OBJECT_RESTRICTED (1u << 16)
#define TPMA_OBJECT_DECRYPT (1u << 17)

/* TPMA_NV bits (Part 2, 13.4). */
#define TPMA_NV_PPWRITE (1u << 0)
#define TPMA_NV_WRITEDEFINE (1u << 13)
#define TPMA_NV_PPREAD (1u << 16)
#define TPMA_NV_OWNERREAD (1u << 17)
#define TPMA_NV_AUTHREAD (1u << 18)
#define TPMA_NV_NO_DA (1u << 25)
#define TPMA_NV_PLATFORMCREATE (1u << 30)

#endif
