#!/usr/bin/env bash
# The controls security teams run on synthesized templates, on every example app but the
# anti-patterns: the AWS Control Tower proactive-control rules (cfn-guard, from the devDependency
# @cdklabs/cdk-validator-cfnguard), cfn-lint and Checkov. cfn-lint and Checkov are installed here,
# pinned, into a virtualenv of their own. Fails on any failing Control Tower rule (but the exceptions
# listed, with their reasons, in security-report.ts, which it prints every run), cfn-lint error,
# or failed Checkov check on a DynamoDB, KMS, SQS, Kinesis, DAX, Backup, CloudTrail, S3 or VPC endpoint resource.
# See docs/security-controls.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
# The Control Tower rule sets for the services the library creates resources of.
GUARD_SERVICES=(dynamodb kinesis identityandaccessmanagement keymanagementservice sqs cloudwatch cloudtrail s3 ec2)

OUT=$ROOT/cdk.out/security-controls
VENV=${SECURITY_CONTROLS_VENV:-$ROOT/.venv/security-controls}
GUARD_PACKAGE=$ROOT/node_modules/@cdklabs/cdk-validator-cfnguard
GUARD=$GUARD_PACKAGE/bin/ubuntu/x86_64/cfn-guard
RULES=$GUARD_PACKAGE/rules/control-tower/cfn-guard

if [ ! -x "$VENV/bin/cfn-lint" ] || [ ! -x "$VENV/bin/checkov" ] \
  || [ "$("$VENV/bin/cfn-lint" --version)" != "cfn-lint $CFN_LINT_VERSION" ] \
  || [ "$("$VENV/bin/checkov" --version)" != "$CHECKOV_VERSION" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION" "checkov==$CHECKOV_VERSION"
fi
echo "cfn-guard $("$GUARD" --version | awk '{print $2}'), $("$VENV/bin/cfn-lint" --version), checkov $("$VENV/bin/checkov" --version)"

rm -rf "$OUT"
mkdir -p "$OUT"
# The examples import 'cdk-dynamodb-blueprints' by name: resolve it as `npm run demo` does.
export TS_NODE_PROJECT=tsconfig.dev.json
npx ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register scripts/ci/synth-examples.ts "$OUT/templates" \
  | grep '\.template\.json$' > "$OUT/templates.txt"
mapfile -t TEMPLATES < "$OUT/templates.txt"
echo "${#TEMPLATES[@]} templates:"
printf '  %s\n' "${TEMPLATES[@]#"$ROOT/"}"

# Each tool exits non-zero when it finds anything; the report below decides what blocks.
guard_args=()
for service in "${GUARD_SERVICES[@]}"; do guard_args+=(--rules "$RULES/$service"); done
for t in "${TEMPLATES[@]}"; do guard_args+=(--data "$t"); done
"$GUARD" validate "${guard_args[@]}" --output-format sarif --show-summary none --structured > "$OUT/cfn-guard.sarif" || true

"$VENV/bin/cfn-lint" --format json "${TEMPLATES[@]}" > "$OUT/cfn-lint.json" || true

checkov_args=()
for t in "${TEMPLATES[@]}"; do checkov_args+=(-f "$t"); done
# --skip-download: no call to Prisma Cloud (guidelines, severities); the checks are all local.
"$VENV/bin/checkov" --skip-download --framework cloudformation -o json "${checkov_args[@]}" > "$OUT/checkov.json" || true

npx ts-node --transpile-only --project tsconfig.dev.json scripts/ci/security-report.ts "$OUT" "$RULES"
