# tests/: unit tests (cmocka) land in $(BUILD)/tests/unit/, which
# tests/run-all.sh runs. Fragments under tests/ append to ALL_TESTS.
CMOCKA_LIBS := -lcmocka

-include tests/unit/unit.mk
-include tests/fuzz/fuzz.mk
-include tests/tasks/tasks.mk
-include tests/guest/guest.mk

.PHONY: check-build
check-build: $(ALL_TESTS)
