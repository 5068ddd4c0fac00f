#!/usr/bin/env bash
# Chromium in a network namespace of its own, joined to the test's namespace by a veth pair, so a
# test can cut this one browser's network (WebRTC's UDP and the signaling WebSocket alike) while
# everything else keeps running. e2e/netns.ts launches it as Playwright's executablePath and sets
# the DUET_NETNS_* variables. Playwright drives Chromium over pipes (fds 3 and 4), which unshare
# and exec pass on untouched; the namespace and its veth pair vanish when Chromium exits.
set -euo pipefail
if [[ ${DUET_NETNS_INSIDE:-} != 1 ]]; then
  export DUET_NETNS_INSIDE=1
  exec unshare --net -- "$0" "$@"
fi
# Same process id as before unshare, now in the new namespace; `home` runs a command in the test's.
home=(nsenter "--net=${DUET_NETNS_HOME:?}" --)
"${home[@]}" ip link add "${DUET_NETNS_OUTER:?}" type veth peer name "${DUET_NETNS_INNER:?}" netns $$
"${home[@]}" ip addr add "${DUET_NETNS_OUTER_IP:?}/30" dev "$DUET_NETNS_OUTER"
"${home[@]}" ip link set "$DUET_NETNS_OUTER" up
ip link set lo up
ip addr add "${DUET_NETNS_INNER_IP:?}/30" dev "$DUET_NETNS_INNER"
ip link set "$DUET_NETNS_INNER" up
# Chromium gathers no ICE candidates without a default route.
ip route add default via "$DUET_NETNS_OUTER_IP"
# The test enters this namespace through /proc/PID/ns/net to cut the inner end.
echo $$ >"${DUET_NETNS_PIDFILE:?}"
exec "${DUET_NETNS_CHROMIUM:?}" "$@"
