/*
 * SEV-SNP DMA memory: the implementation of platform_dma_share /
 * platform_dma_unshare (platform/platform.h) on SNP, over psc.h.
 * Not yet: the C-bit. Keel's page tables carry no C-bit until the SNP
 * platform runs; that platform must also map these pages with the C-bit
 * clear (direct map and the task's DMA mapping) after sharing, and set it
 * again before unsharing, as COCONUT-SVSM's set_shared_4k does.
 */
#ifndef KEEL_SNP_DMA_H
#define KEEL_SNP_DMA_H

#include <stdint.h>

int snp_dma_share(uint64_t pa, uint64_t pages);
int snp_dma_unshare(uint64_t pa, uint64_t pages);

#endif
