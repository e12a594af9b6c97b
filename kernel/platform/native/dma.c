/*
 * DMA memory on native (platform/platform.h): nothing to convert. No
 * memory encryption, and no IOMMU either: a device a task programs can
 * reach all guest RAM, which is why `device=` is a trust grant here
 * (docs/manifest.md).
 */
#include "platform/platform.h"

int platform_dma_share(uint64_t pa, uint64_t pages)
{
	(void)pa;
	(void)pages;
	return 0;
}

int platform_dma_unshare(uint64_t pa, uint64_t pages)
{
	(void)pa;
	(void)pages;
	return 0;
}
