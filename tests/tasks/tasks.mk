# tests/tasks: test-only tasks, each built booted and hosted with keel_task.
# Each owner keeps to its own block.

# hostile
# The isolation tests' hostile task (one binary, mode in argv[1]) and its
# victim; used by tests/system/hostile-booted.sh and tests/hosted/hostile-hosted.sh.
HOSTILE_SRCS := $(addprefix tests/tasks/hostile/,main.c tlog.c fatal.c badptr.c lengths.c \
	handles.c exhaust.c spin.c)
VICTIM_SRCS := tests/tasks/victim/victim.c tests/tasks/hostile/tlog.c
$(eval $(call keel_task,hostile,$(HOSTILE_SRCS),,))
$(eval $(call keel_task,victim,$(VICTIM_SRCS),,))
ALL_TESTS += $(BUILD)/tasks/hostile $(BUILD)/hosted/hostile $(BUILD)/tasks/victim $(BUILD)/hosted/victim
# end hostile

# bench
# The channel/syscall benchmark pair run by `make bench` (tests/bench/run-bench.sh).
$(eval $(call keel_task,bench-server,tests/tasks/bench/bench-server.c tests/tasks/hostile/tlog.c,,))
$(eval $(call keel_task,bench-client,tests/tasks/bench/bench-client.c tests/tasks/hostile/tlog.c,,))
ALL_TESTS += $(BUILD)/tasks/bench-server $(BUILD)/hosted/bench-server \
	$(BUILD)/tasks/bench-client $(BUILD)/hosted/bench-client
# end bench
