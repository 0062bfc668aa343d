#!/usr/bin/env bash
# The OpenAPI schema against the real answers: starts propdesk on PostgreSQL with a small demo
# company on a free loopback port, signs in as a member of staff and as a customer through the
# API's own token endpoints, and runs schemathesis over every staff operation and every customer
# operation. Fails on any server error or any answer the schema does not describe.
# Bounded (a few minutes): few examples per operation, a fixed seed. docs/api.md says more.
#
#   .ci/schemathesis.sh                       # uses postgres://postgres@127.0.0.1:5432/propdesk_schemathesis
#   SCHEMATHESIS_DB=propdesk_me SCHEMATHESIS_EXAMPLES=20 .ci/schemathesis.sh
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=.venv/bin
DB=${SCHEMATHESIS_DB:-propdesk_schemathesis}
PG_HOST=${PG_HOST:-127.0.0.1}
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-10}
# The coverage phase (every boundary of every field) takes ~10 minutes on two cores: CI runs the
# schema's examples and random fuzzing; SCHEMATHESIS_PHASES=examples,coverage,fuzzing runs all.
PHASES=${SCHEMATHESIS_PHASES:-examples,fuzzing}
SEED=${SCHEMATHESIS_SEED:-20261207}
STAFF_USER=${SCHEMATHESIS_STAFF_USER:-director}  # the demo office's director: most staff actions
PASSWORD=propdesk-demo                             # the demo's password (propdesk/demo/logins.py)
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance

export DATABASE_URL="postgres://postgres@$PG_HOST:5432/$DB"
unset CELERY_BROKER_URL REDIS_URL  # background work runs in-process, as on one machine
WORK=$(mktemp -d)
SERVER_PID=""

cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${SCHEMATHESIS_REUSE_DB:-}" = 1 ]; then  # iterating locally: keep the last run's data
    echo "Database $DB: as the last run left it"
    $BIN/propdesk migrate --verbosity 0
else
    echo "Database $DB: a small demo company"
    dropdb --if-exists -h "$PG_HOST" -U postgres "$DB"
    createdb -h "$PG_HOST" -U postgres "$DB"
    $BIN/propdesk migrate --verbosity 0
    $BIN/propdesk demo --scale "${SCHEMATHESIS_DEMO_SCALE:-0.02}" >"$WORK/demo.log"
fi

PORT=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
echo "Serving on $BASE (log: server.log in the report directory)"
REPORT_DIR=${SCHEMATHESIS_REPORT_DIR:-var/schemathesis}
mkdir -p "$REPORT_DIR"
$BIN/propdesk serve --host 127.0.0.1 --port "$PORT" --no-demo >"$REPORT_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 60); do
    if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "FAILED: the server did not start" >&2
        tail -20 "$REPORT_DIR/server.log" >&2
        exit 1
    fi
    sleep 1
done
curl -fsS "$BASE/healthz" >/dev/null

json_field() {  # json_field <name>: the field of the JSON object on stdin
    $BIN/python -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# Tokens through the endpoints clients use, never written into the database by hand.
STAFF_TOKEN=$(curl -fsS -X POST "$BASE/api/v1/auth/token/" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$STAFF_USER\", \"password\": \"$PASSWORD\"}" | json_field token)
CUSTOMER_PHONE=$($BIN/propdesk shell --no-imports -c \
    'from propdesk.portal.models import PortalAccount; print(PortalAccount.objects.order_by("pk").first().phone)')
CUSTOMER_TOKEN=$(curl -fsS -X POST "$BASE/api/v1/portal/auth/token/" \
    -H 'Content-Type: application/json' \
    -d "{\"phone\": \"$CUSTOMER_PHONE\", \"password\": \"$PASSWORD\"}" | json_field token)

curl -fsS "$BASE/api/schema/?format=json" -H "Authorization: Token $STAFF_TOKEN" \
    -o "$WORK/schema.json"

run() {  # run <name> <auth header> <filter...>: one schemathesis run over part of the schema
    local name=$1 auth=$2
    shift 2
    echo
    echo "---- schemathesis: $name operations ----"
    $BIN/st run "$WORK/schema.json" --url "$BASE" \
        -H "Authorization: $auth" -H "Accept-Language: en" \
        --checks "$CHECKS" --max-examples "$EXAMPLES" --seed "$SEED" \
        --phases "$PHASES" --workers 2 --no-shrink ${SCHEMATHESIS_ARGS:-} \
        --suppress-health-check all --request-timeout 30 \
        --report junit --report-junit-path "$REPORT_DIR/$name.xml" \
        "$@"
}

status=0
# Staff: everything outside the customer API, except revoking the very token the run uses.
run staff "Token $STAFF_TOKEN" \
    --exclude-path-regex '^/api/v1/portal/' \
    --exclude-name 'DELETE /api/v1/auth/token/' || status=1
# Customers: the customer API, except signing out, which revokes the run's token.
run customer "Bearer $CUSTOMER_TOKEN" \
    --include-path-regex '^/api/v1/portal/' \
    --exclude-name 'POST /api/v1/portal/auth/sign-out/' || status=1

if grep -q "Internal Server Error\|Traceback" "$REPORT_DIR/server.log"; then
    echo "FAILED: the server logged an error (see $REPORT_DIR/server.log)" >&2
    status=1
fi
exit $status
