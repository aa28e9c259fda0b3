#!/usr/bin/env bash
# Installs what larder-server's conformance tests and bench/server-vs-memcached.sh use:
# memccapable, memccp, memccat and memcaslap (libmemcached-tools) and memcached 1.6.
set -euo pipefail
if command -v memccapable >/dev/null && command -v memcached >/dev/null; then
  exit 0
fi
apt-get update -q
apt-get install -y -q libmemcached-tools memcached
