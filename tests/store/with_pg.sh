#!/bin/sh
# with_pg.sh CMD [ARG...] - run CMD against a throw-away PostgreSQL server.
#
# Makes a cluster in a temporary folder (trust authentication, superuser
# "bm", a Unix socket in that folder and no TCP port, so parallel runs do
# not collide), creates the database "bm", exports
#   BM_TEST_PG_URI    postgresql://bm@/bm?host=DIR
#   BM_PG_SOCKET_DIR  DIR
#   BM_PG_STOP        a command that stops the server at once (-m immediate)
#   BM_PG_START       a command that starts it again
# runs CMD, and always stops the server and removes the folder.
#
# initdb refuses to run as root: as root the folder belongs to the
# "postgres" user the Debian package creates and the server runs as that
# user (runuser); as anyone else it runs as oneself.
#
# Exit status: CMD's; 77 (meson's "skipped") when the server binaries are
# not installed (apt-get install postgresql); 1 if the server cannot start.
set -u

PGBIN=${BM_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ $# -eq 0 ]; then
	echo "usage: with_pg.sh CMD [ARG...]" >&2
	exit 2
fi
if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
	echo "with_pg.sh: no PostgreSQL server in $PGBIN (apt-get install postgresql): skipped"
	exit 77
fi

dir=$(mktemp -d /tmp/bm-pg.XXXXXX) || exit 1
if [ "$(id -u)" = 0 ]; then
	if ! id postgres >/dev/null 2>&1; then
		echo "with_pg.sh: running as root needs the \"postgres\" user (Debian's postgresql package)"
		rmdir "$dir"
		exit 1
	fi
	chown postgres: "$dir" || exit 1
	as_pg="runuser -u postgres --"
else
	as_pg=""
fi

cat >"$dir/start.sh" <<EOF
#!/bin/sh
exec $as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \\
	-o "-k $dir -c listen_addresses='' -c fsync=off" start >/dev/null
EOF
cat >"$dir/stop.sh" <<EOF
#!/bin/sh
exec $as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null
EOF
chmod 755 "$dir/start.sh" "$dir/stop.sh"

cleanup() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		$as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! $as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U bm -E UTF8 --locale=C \
		>"$dir/initdb.log" 2>&1; then
	echo "with_pg.sh: initdb failed:"
	cat "$dir/initdb.log"
	exit 1
fi
if ! "$dir/start.sh"; then
	echo "with_pg.sh: the server did not start:"
	cat "$dir/server.log"
	exit 1
fi
if ! "$PGBIN/createdb" -h "$dir" -U bm bm; then
	echo "with_pg.sh: createdb bm failed"
	exit 1
fi

export BM_TEST_PG_URI="postgresql://bm@/bm?host=$dir"
export BM_PG_SOCKET_DIR="$dir"
export BM_PG_STOP="$dir/stop.sh"
export BM_PG_START="$dir/start.sh"
"$@"
