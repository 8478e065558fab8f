#!/bin/bash
# nm-sandbox.sh - runs a real NetworkManager in a throw-away network namespace, on a private D-Bus "system" bus, for
# nmstream's integration tests (NetworkManagerSandboxExtension starts and stops it once per test JVM).
#
#   nm-sandbox.sh start | stop | status | env
#
# Clients only need DBUS_SYSTEM_BUS_ADDRESS=unix:path=$NMS_DIR/system_bus_socket and must run as root
# (auth-polkit=root-only). Inspect the links with: ip -n "$NMS_NS" -d link
#
# Isolation: NetworkManager runs in netns $NMS_NS, in its own mount + UTS namespace where /run is a fresh tmpfs (hides
# the host's /run/NetworkManager and in-memory profiles), /var/lib/NetworkManager is bind-mounted from $NMS_DIR/varlib,
# keyfiles go to $NMS_DIR/system-connections, hostname-mode=none; dns=default with rc-manager=unmanaged writes the
# resolver configuration to the private /run/NetworkManager/resolv.conf only, never to /etc/resolv.conf. The dbus-daemon has
# no service directories, so nothing is D-Bus-activated (no polkitd, ModemManager, wpa_supplicant, nm-dispatcher).
# /sys is remounted read-only at its top level (that is what makes NetworkManager work without udev: otherwise every
# link would stay "unmanaged"), while /sys/class and /sys/devices stay writable for bridge and bond option writes.
# Nothing here touches the links or routes of the machine's own network namespace.
set -u

NMS_DIR=${NMS_DIR:-/tmp/nmstream-nm-sandbox}
NMS_NS=${NMS_NS:-nmstream-test}
NMS_VETH_PAIRS=${NMS_VETH_PAIRS:-"v0:v1 v2:v3 v4:v5 v6:v7 v8:v9 v10:v11"}   # "name:peer ..." (both ends in the netns)
NMS_DUMMIES=${NMS_DUMMIES-}                           # skipped with a warning if the kernel lacks CONFIG_DUMMY
NMS_AUTH_POLKIT=${NMS_AUTH_POLKIT:-root-only}                 # root-only | false (false = any uid may modify)
NMS_LOG_LEVEL=${NMS_LOG_LEVEL:-INFO}                          # TRACE|DEBUG|INFO|WARN|ERR
NMS_START_TIMEOUT=${NMS_START_TIMEOUT:-30}
NMS_KEEP_STATE=${NMS_KEEP_STATE:-0}                           # 1 = keep profiles/state of the previous run

case "$NMS_DIR" in /*/*) ;; *) echo "nm-sandbox: NMS_DIR must be an absolute path at least two levels deep" >&2; exit 2 ;; esac
SOCK="$NMS_DIR/system_bus_socket"
ADDR="unix:path=$SOCK"
DBUS_PID_FILE="$NMS_DIR/dbus.pid"
NM_PID_FILE="$NMS_DIR/NetworkManager.pid"   # written by this script
NM=org.freedesktop.NetworkManager

log() { echo "nm-sandbox: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -s "$1" ] && cat "$1" 2>/dev/null; }

write_files() {
    mkdir -p "$NMS_DIR" || die "cannot create $NMS_DIR"
    if [ "$NMS_KEEP_STATE" != 1 ]; then   # every start begins with no profiles and no NM state
        rm -rf "$NMS_DIR"/system-connections "$NMS_DIR"/varlib "$NMS_DIR"/utab
        : > "$NMS_DIR/NetworkManager.log" 2>/dev/null; : > "$NMS_DIR/dbus.log" 2>/dev/null
    fi
    mkdir -p "$NMS_DIR"/{conf.d,sysconf.d,system-connections,varlib} || die "cannot create $NMS_DIR"
    cat > "$NMS_DIR/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <auth>EXTERNAL</auth>
  <listen>$ADDR</listen>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>
  </policy>
  <policy user="root">
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
  <!-- same service policies as the real system bus (NM may own its name, root may call it) -->
  <includedir>/usr/share/dbus-1/system.d</includedir>
  <includedir>/etc/dbus-1/system.d</includedir>
</busconfig>
EOF
    cat > "$NMS_DIR/NetworkManager.conf" <<EOF
[main]
plugins=keyfile
dns=default
rc-manager=unmanaged
systemd-resolved=false
no-auto-default=*
hostname-mode=none
auth-polkit=$NMS_AUTH_POLKIT
dhcp=internal

[keyfile]
path=$NMS_DIR/system-connections

[connectivity]
enabled=false

[logging]
level=$NMS_LOG_LEVEL
EOF
    cat > "$NMS_DIR/nm-inner.sh" <<EOF
#!/bin/sh
# executed via: ip netns exec $NMS_NS unshare --mount --uts --propagation private
set -e
export LIBMOUNT_UTAB=$NMS_DIR/utab
mount -t tmpfs -o mode=0755 nm-sandbox-run /run
mkdir -p /run/NetworkManager
mount --bind /sys/class /sys/class
mount --bind /sys/devices /sys/devices
mount -o remount,bind,ro /sys
mount --bind $NMS_DIR/varlib /var/lib/NetworkManager
exec /usr/sbin/NetworkManager --debug \\
  --config=$NMS_DIR/NetworkManager.conf \\
  --config-dir=$NMS_DIR/conf.d \\
  --system-config-dir=$NMS_DIR/sysconf.d \\
  --intern-config=$NMS_DIR/varlib/NetworkManager-intern.conf \\
  --state-file=$NMS_DIR/varlib/NetworkManager.state
EOF
    chmod 0755 "$NMS_DIR/nm-inner.sh"
}

nm_prop() { DBUS_SYSTEM_BUS_ADDRESS="$ADDR" busctl --system get-property $NM /org/freedesktop/NetworkManager $NM "$1" 2>/dev/null; }

do_start() {
    [ "$(id -u)" = 0 ] || die "must run as root"
    command -v NetworkManager >/dev/null || die "NetworkManager not installed (apt-get install -y network-manager)"
    [ -d /var/lib/NetworkManager ] || die "/var/lib/NetworkManager missing (needed as bind-mount point)"
    if alive "$(pid_of "$NM_PID_FILE")" || alive "$(pid_of "$DBUS_PID_FILE")"; then die "already running ($0 stop first)"; fi
    ip netns list | grep -qw -- "$NMS_NS" && die "netns $NMS_NS already exists ($0 stop first)"
    rm -f "$SOCK" "$NM_PID_FILE" "$DBUS_PID_FILE"
    write_files
    local t0; t0=$(date +%s%N)

    # 1. network namespace + test links
    ip netns add "$NMS_NS" || die "ip netns add failed"
    ip -n "$NMS_NS" link set lo up
    local p d
    for p in $NMS_VETH_PAIRS; do
        ip -n "$NMS_NS" link add "${p%%:*}" type veth peer name "${p##*:}" || { do_stop; die "veth $p failed"; }
    done
    for d in $NMS_DUMMIES; do
        ip -n "$NMS_NS" link add "$d" type dummy 2>/dev/null || log "WARNING: cannot create dummy $d (kernel without CONFIG_DUMMY?) - skipped"
    done

    # 2. private system bus (root netns; only a unix socket, no networking)
    setsid dbus-daemon --config-file="$NMS_DIR/bus.conf" --nofork --nopidfile \
        --print-pid=3 3>"$DBUS_PID_FILE" </dev/null >>"$NMS_DIR/dbus.log" 2>&1 &
    local i
    for i in $(seq 1 100); do [ -S "$SOCK" ] && [ -s "$DBUS_PID_FILE" ] && break; sleep 0.05; done
    [ -S "$SOCK" ] || { do_stop; die "dbus-daemon did not come up (see $NMS_DIR/dbus.log)"; }

    # 3. NetworkManager inside the netns (own mount+UTS ns)
    DBUS_SYSTEM_BUS_ADDRESS="$ADDR" setsid ip netns exec "$NMS_NS" \
        unshare --mount --uts --propagation private "$NMS_DIR/nm-inner.sh" \
        </dev/null >>"$NMS_DIR/NetworkManager.log" 2>&1 &
    local deadline=$(( $(date +%s) + NMS_START_TIMEOUT )) up=""
    while [ "$(date +%s)" -lt "$deadline" ]; do
        if [ "$(nm_prop Startup)" = "b false" ]; then up=1; break; fi
        sleep 0.05
    done
    # NM writes --pid-file only when it daemonizes; with --debug take the PID from the netns
    local p2; for p2 in $(ip netns pids "$NMS_NS" 2>/dev/null); do
        [ "$(cat /proc/"$p2"/comm 2>/dev/null)" = NetworkManager ] && echo "$p2" > "$NM_PID_FILE"
    done
    [ -n "$up" ] || { log "NetworkManager not ready after ${NMS_START_TIMEOUT}s; last log lines:"; tail -n 20 "$NMS_DIR/NetworkManager.log" >&2; do_stop; exit 1; }
    local um; um=$(DBUS_SYSTEM_BUS_ADDRESS="$ADDR" nmcli -t -f DEVICE,STATE device 2>/dev/null | grep ':unmanaged$' | grep -v '^lo:' | tr '\n' ' ')
    [ -z "$um" ] || log "WARNING: unmanaged devices: $um"
    log "ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms: NetworkManager $(nm_prop Version | tr -d '"s ') pid $(pid_of "$NM_PID_FILE"), dbus-daemon pid $(pid_of "$DBUS_PID_FILE"), netns $NMS_NS"
    echo "export DBUS_SYSTEM_BUS_ADDRESS=$ADDR"
}

stop_pid() { # name pidfile expected-comm
    local pid; pid=$(pid_of "$2") || return 0
    [ -n "$pid" ] || return 0
    if alive "$pid" && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$3" ]; then
        kill -TERM "$pid"
        local i; for i in $(seq 1 200); do alive "$pid" || break; sleep 0.05; done
        if alive "$pid"; then log "$1 ($pid) ignored SIGTERM for 10s, sending SIGKILL"; kill -KILL "$pid"; sleep 0.2; fi
    fi
    rm -f "$2"
}

do_stop() {
    stop_pid NetworkManager "$NM_PID_FILE" NetworkManager
    stop_pid dbus-daemon "$DBUS_PID_FILE" dbus-daemon
    rm -f "$SOCK"
    if ip netns list | grep -qw -- "$NMS_NS"; then
        local left; left=$(ip netns pids "$NMS_NS" 2>/dev/null | tr '\n' ' ')
        [ -z "$left" ] || log "WARNING: processes still in netns $NMS_NS (not started by this script, not killed): $left"
        ip netns del "$NMS_NS"
    fi
    log "stopped (logs kept in $NMS_DIR)"
}

do_status() {
    local nmp dp; nmp=$(pid_of "$NM_PID_FILE"); dp=$(pid_of "$DBUS_PID_FILE")
    alive "$dp" && echo "dbus-daemon: running (pid $dp, $ADDR)" || echo "dbus-daemon: stopped"
    alive "$nmp" && echo "NetworkManager: running (pid $nmp, state $(nm_prop State))" || echo "NetworkManager: stopped"
    ip netns list | grep -qw -- "$NMS_NS" && echo "netns $NMS_NS: present" || echo "netns $NMS_NS: absent"
    alive "$nmp"
}

case "${1:-}" in
    start)  do_start ;;
    stop)   do_stop ;;
    status) do_status ;;
    env)    echo "export DBUS_SYSTEM_BUS_ADDRESS=$ADDR NMS_NS=$NMS_NS" ;;
    *)      echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
