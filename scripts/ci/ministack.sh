# Sourced by the CI steps that run the local AWS emulator ministack (pinned, from PyPI): installs it once
# into build/ministack/venv, starts it on a free port of 127.0.0.1 (and fails if it listens anywhere else),
# and stops it by its pid. CONTRIBUTING.md says why this emulator.
MINISTACK_VERSION=1.5.33
MINISTACK_VENV=${MINISTACK_VENV:-$PWD/build/ministack/venv}
MINISTACK_PID=''

# Installs the pinned version into $MINISTACK_VENV, unless it is there already.
ministack_install() {
  if [ "$("$MINISTACK_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("ministack"))' 2>/dev/null)" != "$MINISTACK_VERSION" ]; then
    rm -rf "$MINISTACK_VENV"
    python3 -m venv "$MINISTACK_VENV"
    "$MINISTACK_VENV/bin/pip" install --quiet --disable-pip-version-check "ministack==$MINISTACK_VERSION"
  fi
}

# ministack_start LOG [NAME=VALUE...]: starts the emulator with the given environment, its output in LOG;
# exports AWS_ENDPOINT_URL and sets MINISTACK_PID once it answers (at most 60 s).
ministack_start() {
  local log=$1
  shift
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  env BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" "$@" "$MINISTACK_VENV/bin/ministack" >"$log" 2>&1 &
  MINISTACK_PID=$!
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
  local answered=''
  for _ in $(seq 1 300); do
    if curl -sf "$AWS_ENDPOINT_URL/_ministack/health" >/dev/null; then answered=1; break; fi
    kill -0 "$MINISTACK_PID" 2>/dev/null || { cat "$log"; echo 'the emulator exited' >&2; return 1; }
    sleep 0.2
  done
  [ -n "$answered" ] || { cat "$log"; echo 'the emulator did not answer within 60 s' >&2; return 1; }
  local listening
  listening=$(ss -Hltnp | grep "pid=$MINISTACK_PID," | awk '{print $4}' | sort -u | tr '\n' ' ')
  echo "ministack $MINISTACK_VERSION, pid $MINISTACK_PID, listens on: $listening"
  if echo "$listening" | tr ' ' '\n' | grep -v '^$' | grep -qv '^127\.0\.0\.1:'; then
    echo 'the emulator listens beyond 127.0.0.1' >&2
    return 1
  fi
}

# Stops the emulator started by ministack_start, if any, and waits for it.
ministack_stop() {
  if [ -n "$MINISTACK_PID" ]; then
    kill "$MINISTACK_PID" 2>/dev/null || true
    wait "$MINISTACK_PID" 2>/dev/null || true
    MINISTACK_PID=''
  fi
}
