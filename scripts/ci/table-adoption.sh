#!/usr/bin/env bash
# Table adoption, the slow parts. First, adopt-live-table on real describe-table output of DynamoDB Local
# (test/migration/live-table.slow-test.ts: the generated TypeScript type-checked, run and synthesized).
# Then the adoption plan of the task tracker's v1 Table (npm run demo, section 60) deployed on the local
# emulator ministack: deployment 1 creates the stack, deployment 2 removes the retained table (which
# stays ACTIVE) with its references as literals, and the IMPORT change set of deployment 3 passes the
# emulator's import validation (one Import, nothing else), while the new template as is is refused
# (it modifies resources). ministack 1.5.33 does not execute an import of AWS::DynamoDB::GlobalTable:
# the script prints its reason, and executes the import if a later version does.
#
# Needs python3 with venv (scripts/ci/ministack.sh installs ministack from PyPI under build/), the aws CLI,
# and lib/ (npx projen compile). Listens on 127.0.0.1 only; the emulator is stopped by its pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/ci/ministack.sh
. scripts/ci/ministack.sh

WORK=$(mktemp -d)
cleanup() {
  ministack_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

npx jest --ci --testMatch '<rootDir>/test/migration/live-table.slow-test.ts'

ministack_install

# The templates and the mapping, as plan-adoption writes them.
TS_NODE_PROJECT=tsconfig.dev.json npx ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register \
  -e "require('./scripts/demo/60-migration').run().catch((e) => { console.error(e); process.exit(1); })" > "$WORK/demo.log"
DIR=cdk.out/migration/tasks-adoption
LOGICAL_ID=$(python3 -c "import json,sys; print(list(json.load(open(sys.argv[1])))[0])" "$DIR/TaskTracker.resource-mapping.json")

ministack_start "$WORK/ministack.log"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_PAGER=''

fail() { echo "FAIL: $*" >&2; tail -20 "$WORK/ministack.log" >&2; exit 1; }
# Waits (at most 60 s) for the stack to leave *_IN_PROGRESS and prints its status.
stack_status() {
  local status=''
  for _ in $(seq 1 60); do
    status=$(aws cloudformation describe-stacks --stack-name TaskTracker --query 'Stacks[0].StackStatus' --output text)
    case "$status" in *IN_PROGRESS*) sleep 1 ;; *) echo "$status"; return ;; esac
  done
  echo "timeout ($status)"
}
import_change_set() {
  aws cloudformation create-change-set --stack-name TaskTracker --change-set-name "$1" --change-set-type IMPORT \
    --resources-to-import "[{\"ResourceType\":\"AWS::DynamoDB::GlobalTable\",\"LogicalResourceId\":\"$LOGICAL_ID\",\"ResourceIdentifier\":{\"TableName\":\"tasks\"}}]" \
    --template-body "file://$2" --capabilities CAPABILITY_IAM
}

aws ssm put-parameter --name /cdk-bootstrap/hnb659fds/version --value 30 --type String > /dev/null

echo '--- deployment 1: the Table, retained and deletion-protected'
aws cloudformation create-stack --stack-name TaskTracker --template-body "file://$DIR/TaskTracker.deployment-1.template.json" --capabilities CAPABILITY_IAM > /dev/null
[ "$(stack_status)" = CREATE_COMPLETE ] || fail 'deployment 1 did not complete'

echo '--- deployment 2: the table out of the stack, the references literal (the stream ARN read from the live table)'
STREAM=$(aws dynamodb describe-table --table-name tasks --query Table.LatestStreamArn --output text)
for n in 2 3; do
  python3 -c "import re,sys; print(re.sub(r'<StreamArn of tasks:[^>]*>', sys.argv[2], open(sys.argv[1]).read()))" \
    "$DIR/TaskTracker.deployment-$n.template.json" "$STREAM" > "$WORK/deployment-$n.template.json"
done
aws cloudformation update-stack --stack-name TaskTracker --template-body "file://$WORK/deployment-2.template.json" --capabilities CAPABILITY_IAM > /dev/null
[ "$(stack_status)" = UPDATE_COMPLETE ] || fail 'deployment 2 did not complete'
[ "$(aws dynamodb describe-table --table-name tasks --query Table.TableStatus --output text)" = ACTIVE ] || fail 'the table did not survive its removal'
[ "$(aws dynamodb describe-table --table-name tasks --query Table.LatestStreamArn --output text)" = "$STREAM" ] || fail 'the stream ARN changed'
echo "table tasks ACTIVE outside the stack, stream $STREAM"

echo '--- deployment 3: the IMPORT change set'
import_change_set adopt "$WORK/deployment-3.template.json" > /dev/null || fail 'the import template was refused'
sleep 1
CHANGES=$(aws cloudformation describe-change-set --stack-name TaskTracker --change-set-name adopt --query 'Changes[].ResourceChange.[Action,LogicalResourceId]' --output text)
[ "$CHANGES" = "$(printf 'Import\t%s' "$LOGICAL_ID")" ] || fail "the import change set holds more than the import: $CHANGES"
echo "import change set: $CHANGES"

echo '--- the new template as is, imported in one go, is refused'
if import_change_set as-is "$DIR/TaskTracker.deployment-4.template.json" > "$WORK/as-is.log" 2>&1; then
  fail 'the new template as is was accepted as an import'
fi
grep -q 'cannot be executed during import operations\|is missing from ResourceToImport\|cannot modify or add' "$WORK/as-is.log" || fail "unexpected refusal: $(cat "$WORK/as-is.log")"
echo "refused: $(grep -o 'An error occurred.*' "$WORK/as-is.log" | head -1)"

STATUS=$(aws cloudformation describe-change-set --stack-name TaskTracker --change-set-name adopt --query ExecutionStatus --output text)
if [ "$STATUS" = AVAILABLE ]; then
  aws cloudformation execute-change-set --stack-name TaskTracker --change-set-name adopt
  [ "$(stack_status)" = IMPORT_COMPLETE ] || fail 'the import did not complete'
  echo 'import executed: IMPORT_COMPLETE'
else
  echo "the emulator does not execute it ($STATUS): $(aws cloudformation describe-change-set --stack-name TaskTracker --change-set-name adopt --query StatusReason --output text)"
fi
