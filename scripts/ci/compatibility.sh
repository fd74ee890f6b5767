#!/usr/bin/env bash
# The versions users meet, beside the ones we pin: the differential suite and the examples' synth against the
# newest aws-cdk-lib 2.x on npm and against the floor of our peer range; the copied example with the pinned
# CDK CLI and the newest 2.x CLI; an app made by today's `cdk init app --language typescript` with the packed
# library installed. A failure names the upstream release that brought it and what changed.
# Needs lib/ built (`npx projen compile`) and the npm registry. Prints each part's time and the versions tested.
# Usage: compatibility.sh [aws-cdk-lib] [cli] [init] (the parts to run; all by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

work=$(mktemp -d)
pinned_dir=node_modules/.aws-cdk-lib-pinned
# Puts the pinned aws-cdk-lib back in node_modules (the first parts set it aside).
restore_cdk_lib() {
  if [ -d "$pinned_dir" ]; then
    rm -rf node_modules/aws-cdk-lib
    mv "$pinned_dir" node_modules/aws-cdk-lib
  fi
}
trap 'restore_cdk_lib; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# The newest version of a package within a range, as npm resolves it today (npm lists them in no set order).
newest() {
  npm view "$1@$2" version --json | node -e '
const key = (v) => v.split(/[.-]/).slice(0, 3).map(Number);
const newer = (a, b) => { const [x, y] = [key(a), key(b)]; const i = x.findIndex((n, j) => n !== y[j]); return i >= 0 && x[i] > y[i]; };
console.log([].concat(JSON.parse(require("fs").readFileSync(0, "utf8"))).reduce((a, b) => (newer(b, a) ? b : a)));
'
}
installed() { node -p "require('./node_modules/$1/package.json').version"; }

pinned_lib=$(installed aws-cdk-lib)
floor_lib=$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^\^/, "")')
newest_lib=$(newest aws-cdk-lib "^$floor_lib")
pinned_cli=$(installed aws-cdk)
newest_cli=$(newest aws-cdk 2)
echo "aws-cdk-lib: pinned $pinned_lib, floor $floor_lib, newest 2.x $newest_lib; CDK CLI: pinned $pinned_cli, newest 2.x $newest_cli"

summary=()
part() {
  local name=$1 start=$SECONDS
  shift
  printf '\n--- %s\n' "$name"
  "$@"
  summary+=("$(printf '%4ss  %s' "$((SECONDS - start))" "$name")")
}

# What TablePropsV2 (with what it extends) declares in an aws-cdk-lib folder: the props the differential suite covers.
table_props() {
  node -e '
const fs = require("fs");
const d = fs.readFileSync(process.argv[1] + "/aws-dynamodb/lib/table-v2.d.ts", "utf8") + fs.readFileSync(process.argv[1] + "/aws-dynamodb/lib/shared.d.ts", "utf8");
const props = new Set();
for (const [, body] of d.matchAll(/export interface (?:TablePropsV2|TableOptionsV2|TableOptions|SchemaOptions)\b[^{]*\{([\s\S]*?)\n\}/g)) {
  for (const [, name] of body.matchAll(/^\s+readonly (\w+)\??:/gm)) props.add(name);
}
console.log([...props].sort().join("\n"));
' "$1"
}

# Runs the differential suite and the examples' synth with another aws-cdk-lib in node_modules (the pinned one set aside).
against_cdk_lib() {
  local version=$1 role=$2
  [ -d "$pinned_dir" ] || mv node_modules/aws-cdk-lib "$pinned_dir"
  rm -rf node_modules/aws-cdk-lib
  mkdir -p node_modules/aws-cdk-lib
  local tarball="$work/aws-cdk-lib-$version.tgz"
  if [ -n "$(npm view "aws-cdk-lib@$version" version 2>/dev/null)" ]; then
    (cd "$work" && npm pack --silent "aws-cdk-lib@$version" >/dev/null)
  else
    # npm lacks some releases (2.272.0: it goes from 2.271.0 to 2.273.0). The PyPI wheel of the same release
    # carries the npm package as its jsii tarball, bundled dependencies included.
    echo "aws-cdk-lib $version is not on npm: its npm package is taken from the PyPI wheel of $version (aws_cdk/_jsii/)"
    pip download --quiet --no-deps --only-binary :all: "aws-cdk-lib==$version" -d "$work/wheel"
    unzip -q -o "$work"/wheel/aws_cdk_lib-*.whl "aws_cdk/_jsii/aws-cdk-lib@$version.jsii.tgz" -d "$work/wheel"
    mv "$work/wheel/aws_cdk/_jsii/aws-cdk-lib@$version.jsii.tgz" "$tarball"
    rm -rf "$work/wheel"
  fi
  tar xzf "$tarball" -C node_modules/aws-cdk-lib --strip-components=1
  rm "$tarball"
  echo "node_modules/aws-cdk-lib is $(installed aws-cdk-lib) ($role)"

  local changed
  changed=$(diff <(table_props "$pinned_dir") <(table_props node_modules/aws-cdk-lib) | sed -n 's/^> /  added: /p; s/^< /  removed: /p' || true)
  [ -z "$changed" ] || printf 'TablePropsV2 in aws-cdk-lib %s against the pinned %s:\n%s\n' "$version" "$pinned_lib" "$changed"

  local failed=()
  # --silent: aws-cdk-lib's deprecation warnings for the props the suite passes on purpose.
  npx jest --ci --silent test/table/differential.test.ts || failed+=('the differential suite (test/table/differential.test.ts)')
  npx ts-node --transpile-only --project tsconfig.dev.json -r tsconfig-paths/register scripts/ci/synth-examples.ts "$work/synth-$version" >/dev/null \
    || failed+=("the examples' synth (scripts/ci/synth-examples.ts)")
  if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED against aws-cdk-lib %s (%s; the tests pin %s): %s.\n' "$version" "$role" "$pinned_lib" "$(IFS=';'; echo "${failed[*]}")" >&2
    printf 'What changed upstream: https://github.com/aws/aws-cdk/releases (every release from v%s to v%s).\n' "$pinned_lib" "$version" >&2
    [ -z "$changed" ] || printf 'TablePropsV2 changed:\n%s\nBlueprintTable passes every TablePropsV2 prop through: add the new ones to the matrix of test/table/differential.test.ts.\n' "$changed" >&2
    exit 1
  fi
}

copied_example() {
  local cli=$1 role=$2
  if ! CDK_CLI_VERSION=$cli bash scripts/ci/copied-example.sh orders-lab; then
    echo "FAILED: the copied example with the CDK CLI aws-cdk@$cli ($role; pinned $pinned_cli). Its changes: https://github.com/aws/aws-cdk-cli/releases/tag/aws-cdk%40v$cli" >&2
    exit 1
  fi
}

# `cdk init app --language typescript` as a user runs it today, the packed library and cdk-nag installed, a
# BlueprintTable in the generated stack and the pack registered in the generated app file; then the app's own
# build (`tsc`, the template's TypeScript) and `cdk synth`.
cdk_init_app() {
  local app="$work/init-app"
  mkdir -p "$app"
  npm pack --silent --pack-destination "$work" >/dev/null
  local tarball
  tarball=$(ls "$work"/cdk-dynamodb-blueprints-[0-9]*.tgz)
  local nag
  nag=$(installed cdk-nag)
  (
    cd "$app"
    if ! npx --yes "aws-cdk@$newest_cli" init app --language typescript --generate-only >"$work/init.log" 2>&1; then
      cat "$work/init.log" >&2
      echo "FAILED: aws-cdk@$newest_cli init app --language typescript. Its changes: https://github.com/aws/aws-cdk-cli/releases/tag/aws-cdk%40v$newest_cli" >&2
      exit 1
    fi
    # The app's jest test is type-checked (its tsconfig names jest's types) but not run: no jest, no ts-jest.
    node -e '
const fs = require("fs");
const p = require("./package.json");
console.log(`cdk init (aws-cdk@'"$newest_cli"'): typescript ${p.devDependencies.typescript}, aws-cdk-lib ${p.dependencies["aws-cdk-lib"]}, app: ${require("./cdk.json").app}`);
for (const name of ["jest", "ts-jest"]) delete p.devDependencies[name];
fs.writeFileSync("package.json", JSON.stringify(p, undefined, 2));
'
    npm install --no-audit --no-fund --loglevel=error >/dev/null
    npm install --no-audit --no-fund --loglevel=error "$tarball" "cdk-nag@$nag" >/dev/null
    local stack bin
    stack=$(ls lib/*-stack.ts)
    bin=$(ls bin/*.ts)
    (cd "$root" && npx ts-node --transpile-only --project tsconfig.dev.json scripts/ci/cdk-init-app.ts "$app/$stack" "$app/$bin")
    local tsc_version
    tsc_version=$(npx tsc --version | sed "s/^Version //")
    if ! npx tsc --noEmit; then
      echo "FAILED: the cdk init app does not compile with its own TypeScript ($tsc_version) and the packed library's declarations." >&2
      exit 1
    fi
    if ! npx cdk synth --quiet >/dev/null; then
      echo "FAILED: cdk synth of the app made by aws-cdk@$newest_cli init ($tsc_version, aws-cdk-lib $(node -p 'require("aws-cdk-lib/package.json").version'))." >&2
      exit 1
    fi
    node -e '
const fs = require("fs");
const tables = fs.readdirSync("cdk.out").filter((f) => f.endsWith(".template.json"))
  .flatMap((f) => Object.values(JSON.parse(fs.readFileSync(`cdk.out/${f}`, "utf8")).Resources ?? {}))
  .filter((r) => r.Type === "AWS::DynamoDB::GlobalTable");
if (tables.length !== 1) { console.error(`expected the BlueprintTable in the cdk init app'"'"'s template, found ${tables.length} table(s)`); process.exit(1); }
console.log(`cdk init app: TypeScript ${process.argv[1]}, aws-cdk-lib ${require("aws-cdk-lib/package.json").version}; cdk synth made the BlueprintTable and passed with DynamoDBBlueprintChecks registered`);
' "$tsc_version"
  )
}

parts=${*:-aws-cdk-lib cli init}
wants() { [[ " $parts " == *" $1 "* ]]; }

if wants aws-cdk-lib; then
part "differential suite and examples' synth, newest aws-cdk-lib $newest_lib" against_cdk_lib "$newest_lib" 'the newest 2.x on npm'
part "differential suite and examples' synth, floor aws-cdk-lib $floor_lib" against_cdk_lib "$floor_lib" 'the floor of the peer range'
restore_cdk_lib
fi
# The pinned CLI runs the copied example in .ci/run's step of that name.
if ! wants cli; then
  :
elif [ "$newest_cli" != "$pinned_cli" ]; then
  part "copied example, newest CDK CLI $newest_cli" copied_example "$newest_cli" 'the newest 2.x CLI'
else
  echo "the newest 2.x CDK CLI is the pinned one ($pinned_cli), which .ci/run's copied-example step runs"
fi
if wants init; then
  part "cdk init app (aws-cdk@$newest_cli) with the packed library" cdk_init_app
fi

printf '\ncompatibility: aws-cdk-lib %s (newest), %s (floor); CDK CLI %s (pinned), %s (newest 2.x)\n' "$newest_lib" "$floor_lib" "$pinned_cli" "$newest_cli"
printf '%s\n' "${summary[@]}"
echo "total ${SECONDS}s"
