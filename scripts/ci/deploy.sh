#!/usr/bin/env bash
# `cdk deploy` for real, onto a local AWS emulator (ministack, pinned, from PyPI): orders-lab, task-tracker
# and global-orders are copied out of the repository into apps that install the packed library and the
# packed stream runtime as a user installs them, bootstrapped and deployed with the pinned CDK CLI; then
# what the emulator reports is compared with each synthesized template, and the task tracker's consumer is
# driven through the emulator's API (scripts/ci/deploy/*.ts). Needs lib/ built (`npx projen compile`).
# The emulator listens on 127.0.0.1 only, on a free port, and is stopped by its pid on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
# shellcheck source=scripts/ci/ministack.sh
. scripts/ci/ministack.sh
# DEPLOY_EXAMPLES narrows the run while iterating on one example's checks.
read -r -a EXAMPLES <<<"${DEPLOY_EXAMPLES:-orders-lab task-tracker global-orders}"
build=$root/build/deploy
work=$build/run
started=$SECONDS
phase() { printf -- '--- %s (%ss)\n' "$1" "$((SECONDS - started))"; }

# The examples' own files, copied into apps of their own (as scripts/ci/copied-example.sh does).
copy_examples() {
  for example in "${EXAMPLES[@]}"; do
    local app="$work/apps/$example"
    mkdir -p "$app"
    cp "examples/$example"/*.ts "examples/$example/cdk.json" "examples/$example/tsconfig.json" "$app/"
    if [ -d "examples/$example/handler" ]; then
      # The handler's own tsconfig.json points into this repository's sources; an installed app needs none.
      mkdir -p "$app/handler"
      cp "examples/$example/handler"/*.ts "$app/handler/"
    fi
  done
}

phase "ministack $MINISTACK_VERSION in $MINISTACK_VENV"
ministack_install

if [ "${DEPLOY_REUSE_INSTALL:-}" = 1 ] && [ -x "$work/apps/node_modules/.bin/cdk" ]; then
  # For iterating on the checks: the apps and their install from the previous run, the examples' files copied again.
  phase 'reusing the packed library, the runtime and the apps install of the previous run'
  rm -rf "$work/cdk-home" "$work"/*.log
  for example in "${EXAMPLES[@]}"; do rm -rf "$work/apps/$example"; done
  copy_examples
else
  phase 'the packed library and the packed runtime'
  rm -rf "$work"
  mkdir -p "$work/apps"
  npm pack --silent --pack-destination "$work" >/dev/null
  npx projen package:runtime >/dev/null
  library=$(ls "$work"/cdk-dynamodb-blueprints-*.tgz)
  runtime=$(ls "$root"/dist/js/cdk-dynamodb-blueprints-runtime-*.tgz)

  phase 'copied apps, one install shared by the three'
  # Versions as this repository builds with; the CLI is the one pinned in devDependencies.
  versions=$(node -e '
  const lock = require("./package-lock.json").packages;
  const v = (n) => `${n}@${lock[`node_modules/${n}`].version}`;
  console.log(["aws-cdk-lib", "constructs", "cdk-nag", "ts-node", "aws-cdk", "esbuild", "@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "@types/aws-lambda"].map(v).join(" "), "typescript@5.9");
  ')
  copy_examples
  (cd "$work/apps" && npm init -y >/dev/null && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$library" "$runtime" $versions >/dev/null)
fi
cdk="$work/apps/node_modules/.bin/cdk"

phase 'emulator on 127.0.0.1'
trap ministack_stop EXIT
# Lambda runs with the machine's node; the bundles leave @aws-sdk/* to the runtime, which NODE_PATH provides.
ministack_start "$work/ministack.log" NODE_PATH="$work/apps/node_modules"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
# The CLI caches the account per access key: a fresh home per run.
export CDK_HOME="$work/cdk-home"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true

phase 'cdk bootstrap'
# The emulator's account for any access key that is not a 12-digit account id.
account=000000000000
# Outside any app folder, so the CLI does not synthesize an app to bootstrap; one environment per call
# (given four at once, CLI 2.1149.0 bootstrapped three of them here).
for region in ap-south-1 eu-west-1 ap-southeast-2 us-east-1; do
  (cd "$work" && "$cdk" bootstrap "aws://$account/$region" >>"$work/bootstrap.log" 2>&1) || { cat "$work/bootstrap.log"; exit 1; }
done

ts_node=(npx ts-node --transpile-only --project tsconfig.dev.json)
for example in "${EXAMPLES[@]}"; do
  phase "cdk deploy $example"
  (cd "$work/apps/$example" && "$cdk" deploy --all --require-approval never --progress events >"$work/deploy-$example.log" 2>&1) \
    || { tail -40 "$work/deploy-$example.log"; exit 1; }
  phase "$example: the emulator against the template"
  "${ts_node[@]}" scripts/ci/deploy/compare.ts "$work/apps/$example/cdk.out" "$example"
done

if [[ " ${EXAMPLES[*]} " == *" orders-lab "* ]]; then
  phase 'migration loop on the live orders-lab stack: baseline, a replacing change refused at synth, a new GSI deployed'
  lab="$work/apps/orders-lab"
  sed 's|../../../examples/orders-lab/app|./app|' scripts/ci/deploy/migration-app.ts >"$lab/migration.ts"
  (cd "$lab" && ../node_modules/.bin/cdk-dynamodb-blueprints record-baseline cdk.out deployed)
  if (cd "$lab" && MIGRATION_CHANGE=replace-sort-key "$cdk" synth --quiet --app 'npx ts-node --transpile-only migration.ts' --output cdk.out.replace >"$work/migration-replace.log" 2>&1); then
    cat "$work/migration-replace.log"; echo 'MigrationGuard let a replacing change (a new sort key) through synth' >&2; exit 1
  fi
  grep -q 'KEY_SCHEMA_CHANGED' "$work/migration-replace.log" \
    || { cat "$work/migration-replace.log"; echo 'synth failed, but not with KEY_SCHEMA_CHANGED' >&2; exit 1; }
  echo 'a new sort key: refused by MigrationGuard at synth (KEY_SCHEMA_CHANGED), nothing deployed'
  (cd "$lab" && MIGRATION_CHANGE=add-index "$cdk" deploy --all --require-approval never --app 'npx ts-node --transpile-only migration.ts' --output cdk.out.add-index >"$work/migration-add-index.log" 2>&1) \
    || { tail -40 "$work/migration-add-index.log"; exit 1; }
  echo 'a new GSI: MigrationGuard passes and the stack deploys (the emulator re-creates a GlobalTable on any update: how AWS applies it in place is judged on templates only)'
  "${ts_node[@]}" scripts/ci/deploy/compare.ts "$lab/cdk.out.add-index" 'orders-lab with a new GSI'
fi

if [[ " ${EXAMPLES[*]} " == *" task-tracker "* ]]; then
  phase 'task tracker through the emulator: counters, a poison record, redrive'
  "${ts_node[@]}" scripts/ci/deploy/task-tracker.ts "$work/apps/task-tracker/cdk.out"
fi

phase "done: the deploy step took $((SECONDS - started)) s"
