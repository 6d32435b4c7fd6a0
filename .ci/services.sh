# Sourced by test.sh: installs (Debian packages) and starts the real services the tests use,
# each private to this run, on loopback only, and stops them on exit.
# Exports PREAU_TEST_POSTGRES, PREAU_TEST_REDIS and PREAU_TEST_CHROMIUM for the test projects.

PREAU_PG_PORT="${PREAU_PG_PORT:-55432}"
PREAU_REDIS_PORT="${PREAU_REDIS_PORT:-56379}"

preau_need_packages() {
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils) # login-card QR test renders the PDF
  /usr/bin/python3 -c "import icalendar" >/dev/null 2>&1 || missing+=(python3-icalendar) # calendar feed, third-party parser
  command -v npm >/dev/null 2>&1 || missing+=(npm) # node-ical (second iCalendar parser), the pinned vnu-jar and @redocly/cli
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)     # `promtool check metrics` on /metrics
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless) # the Nu HTML Checker (vnu.jar)
  [ -x /usr/sbin/apache2 ] || missing+=(apache2-bin)                  # CAS client test: Apache httpd…
  [ -f /usr/lib/apache2/modules/mod_auth_cas.so ] || missing+=(libapache2-mod-auth-cas) # …with mod_auth_cas
  [ -f /usr/share/lemonldap-ng/portal/htdocs/index.psgi ] || missing+=(lemonldap-ng) # the academic OIDC provider of the external sign-in test (served by plackup, from libplack-perl)
  # LemonLDAP::NG's portal loads these at start-up (captcha, OIDC issuer): Debian only recommends them
  /usr/bin/perl -MGD::SecurityImage -MImage::Magick -MString::Random -MIO::String -MCrypt::OpenSSL::Bignum -MHTTP::Parser::XS -e1 >/dev/null 2>&1 \
    || missing+=(libgd-securityimage-perl libimage-magick-perl libstring-random-perl libio-string-perl libcrypt-openssl-bignum-perl libhttp-parser-xs-perl libcookie-baker-xs-perl libunicode-string-perl libconvert-base32-perl libipc-run-perl libmime-tools-perl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them (apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} from Debian packages…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null
}

# Pinned npm tools of the standards checks, installed once in a cache folder; prints that folder.
preau_npm_tool() {
  local dir="${PREAU_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/preau-tools}/$(echo "$1" | tr '/@' '__')-$2"
  if [ ! -d "$dir/node_modules/$1" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent "$1@$2" >/dev/null
  fi
  echo "$dir"
}

# The Nu HTML Checker (its jar needs Java only), Redocly CLI (OpenAPI lint) and Stoplight Prism
# (a validation proxy: checks live responses against the OpenAPI document).
preau_need_npm_tools() {
  PREAU_TEST_VNU="$(preau_npm_tool vnu-jar 26.9.27)/node_modules/vnu-jar/build/dist/vnu.jar"
  PREAU_TEST_REDOCLY="$(preau_npm_tool @redocly/cli 2.77.0)/node_modules/.bin/redocly"
  PREAU_TEST_PRISM="$(preau_npm_tool @stoplight/prism-cli 5.16.0)/node_modules/.bin/prism"
  # openid-client: the relying party of the OpenID Connect provider test (tests/oidc-rp)
  PREAU_TEST_OPENID_CLIENT="$(preau_npm_tool openid-client 6.8.9)"
  export PREAU_TEST_VNU PREAU_TEST_REDOCLY PREAU_TEST_PRISM PREAU_TEST_OPENID_CLIENT
}

# The first port from $1 up on which nothing listens on 127.0.0.1. A server another run left on the wanted
# port (a run stopped before its own clean-up, a developer's run alongside) is never taken for this run's own:
# its tests would share its databases and keys, and it may be stopped under them.
preau_free_port() {
  local port=$1 tries=0
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 200 ]; then
      echo "No free port on 127.0.0.1 from $1 to $port." >&2
      exit 1
    fi
    port=$((port + 1))
  done
  echo "$port"
}

preau_start_postgres() {
  local bindir
  bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  PREAU_PG_DIR=$(mktemp -d /tmp/preau-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PREAU_PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bindir/initdb" -D "$PREAU_PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  PREAU_PG_PORT=$(preau_free_port "$PREAU_PG_PORT") || exit 1
  if ! "${run[@]}" "$bindir/pg_ctl" -D "$PREAU_PG_DIR/data" -l "$PREAU_PG_DIR/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PREAU_PG_PORT -k $PREAU_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null; then
    echo "PostgreSQL did not start on port $PREAU_PG_PORT:" >&2
    tail -n 20 "$PREAU_PG_DIR/log" >&2
    exit 1
  fi
  PREAU_PG_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$PREAU_PG_DIR/data" -m fast stop)
  export PREAU_TEST_POSTGRES="Host=127.0.0.1;Port=$PREAU_PG_PORT;Username=postgres;Password=unused"
}

preau_start_redis() {
  PREAU_REDIS_DIR=$(mktemp -d /tmp/preau-redis.XXXXXX)
  PREAU_REDIS_PORT=$(preau_free_port "$PREAU_REDIS_PORT") || exit 1
  redis-server --bind 127.0.0.1 --port "$PREAU_REDIS_PORT" --save "" --appendonly no \
    --daemonize yes --pidfile "$PREAU_REDIS_DIR/redis.pid" --logfile "$PREAU_REDIS_DIR/redis.log" --dir "$PREAU_REDIS_DIR"
  local up=""
  for _ in $(seq 1 50); do
    if [ -s "$PREAU_REDIS_DIR/redis.pid" ] && redis-cli -p "$PREAU_REDIS_PORT" ping >/dev/null 2>&1; then
      up=yes
      break
    fi
    sleep 0.1
  done
  if [ -z "$up" ]; then
    echo "Redis did not start on port $PREAU_REDIS_PORT:" >&2
    tail -n 20 "$PREAU_REDIS_DIR/redis.log" >&2
    exit 1
  fi
  export PREAU_TEST_REDIS="127.0.0.1:$PREAU_REDIS_PORT"
}

preau_stop_services() {
  if [ -n "${PREAU_PG_STOP:-}" ]; then "${PREAU_PG_STOP[@]}" >/dev/null 2>&1 || true; fi
  if [ -n "${PREAU_REDIS_DIR:-}" ] && [ -f "$PREAU_REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$PREAU_REDIS_DIR/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "${PREAU_PG_DIR:-/nonexistent}" "${PREAU_REDIS_DIR:-/nonexistent}"
}

# node-ical (npm, pinned) into a cache folder shared by runs: the calendar feed's second parser.
PREAU_NODE_ICAL_VERSION=0.27.2
preau_install_node_ical() {
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/preau/node-ical-$PREAU_NODE_ICAL_VERSION"
  if [ ! -f "$dir/node_modules/node-ical/package.json" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-ical@$PREAU_NODE_ICAL_VERSION" >/dev/null 2>&1 \
      || echo "npm could not install node-ical@$PREAU_NODE_ICAL_VERSION: the calendar parser test will fail." >&2
  fi
  export PREAU_TEST_NODE_MODULES="$dir/node_modules"
}

preau_start_services() {
  preau_need_packages
  preau_install_node_ical
  preau_need_npm_tools
  trap preau_stop_services EXIT
  preau_start_postgres
  preau_start_redis
  export PREAU_TEST_CHROMIUM=/usr/bin/chromium
  export PREAU_TEST_APACHE=/usr/sbin/apache2 PREAU_TEST_APACHE_MODULES=/usr/lib/apache2/modules
  export PREAU_TEST_LLNG_PSGI=/usr/share/lemonldap-ng/portal/htdocs/index.psgi
}
