#!/usr/bin/env bash
# Copies an example app out of the repository, installs the packed library into it the way a user
# installs it from npm, and runs `cdk synth` there: proof that an example works outside this repository.
# Needs lib/ built (`npx projen compile`). The CDK CLI is the pinned devDependency `aws-cdk`, or the version
# in CDK_CLI_VERSION (scripts/ci/compatibility.sh runs the newest 2.x).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
example=${1:-orders-lab}

work=$(mktemp -d)
trap "rm -rf \"$work\"" EXIT

npm pack --silent --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/cdk-dynamodb-blueprints-*.tgz)

app="$work/$example"
mkdir -p "$app"
cp "examples/$example"/*.ts "examples/$example/cdk.json" "examples/$example/tsconfig.json" "$app/"

versions=$(node -e '
const p = require("./package.json");
const lock = require("./package-lock.json").packages;
const v = (n) => lock[`node_modules/${n}`].version;
console.log([`aws-cdk-lib@${v("aws-cdk-lib")}`, `constructs@${v("constructs")}`, `cdk-nag@${v("cdk-nag")}`, `ts-node@${v("ts-node")}`, `typescript@5.9`].join(" "));
')
cli=${CDK_CLI_VERSION:-$(node -p 'require("./package-lock.json").packages["node_modules/aws-cdk"].version')}
cd "$app"
npm init -y >/dev/null
# aws-cdk is the CLI a user runs; the library comes from the packed tarball, as from the registry.
npm install --no-audit --no-fund --loglevel=error "$tarball" $versions "aws-cdk@$cli" >/dev/null
echo "copied example '$example': cdk synth with aws-cdk $(npx cdk --version)"
npx cdk synth --quiet --output cdk.out

node -e '
const fs = require("fs");
const templates = fs.readdirSync("cdk.out").filter((f) => f.endsWith(".template.json"));
const tables = templates.flatMap((f) => Object.values(JSON.parse(fs.readFileSync(`cdk.out/${f}`, "utf8")).Resources ?? {}))
  .filter((r) => r.Type === "AWS::DynamoDB::GlobalTable");
if (tables.length === 0) { console.error("no AWS::DynamoDB::GlobalTable in the copied example'"'"'s templates"); process.exit(1); }
console.log(`copied example '"$example"': cdk synth outside the repository made ${templates.length} template(s) with ${tables.length} table(s)`);
'
