# apps: build rules (fragment of the top-level Makefile)

# echo
# The example service (apps/echo/README.md): echo-server and echo-client,
# each built booted ($(BUILD)/tasks/) and hosted ($(BUILD)/hosted/).
$(eval $(call keel_task,echo-server,apps/echo/server.c,,))
$(eval $(call keel_task,echo-client,apps/echo/client.c,,))
# end echo
