#!/usr/bin/env bash
# Builds the Python and Java packages with projen's package tasks and uses them as a user would:
# examples/python (pytest) and examples/java (Maven, JUnit 5) synthesize the orders lab with the rule
# pack, and compare their AWS::DynamoDB::GlobalTable with the TypeScript orders lab's.
# Needs the compiled library (.jsii): .ci/run calls it after `npx projen compile` and `npm test`.
# Prints the time of each step and the size of the wheel and the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=$ROOT/build/multi-language

# The end-of-life warning is silenced by naming the Node major version, not by `1`.
JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=$(node -p 'process.versions.node.split(".")[0]')
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1

timed() {
  local name=$1 start=$SECONDS
  shift
  echo "--- $name"
  "$@"
  echo "--- $name: $((SECONDS - start)) s"
}

if [ ! -f .jsii ]; then
  echo 'No .jsii: run `npx projen compile` first.' >&2
  exit 1
fi
rm -rf dist/python dist/java "$BUILD"
mkdir -p "$BUILD"

# Maven resolves the jar's version ranges (aws-cdk-lib [2.272.0,3.0.0), cdknag [3.0.2,4.0.0)) through each
# repository's maven-metadata.xml. Maven Central serves aws-cdk-lib 2.272.0 and cdknag 3.0.2, but its metadata
# (last updated 2026-10-19) lists aws-cdk-lib up to 2.263.0 and no cdknag 3.x, so the ranges find nothing.
# jsii-pacmak's Maven build reads dist/java as a repository: metadata naming the versions we pin
# (examples/java/pom.xml) lets the ranges resolve; the jars still come from Maven Central.
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" examples/java/pom.xml; }
seed_maven_metadata() {
  local group=$1 artifact=$2 version=$3 dir
  dir=dist/java/${group//.//}/$artifact
  mkdir -p "$dir"
  cat > "$dir/maven-metadata.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <versioning>
    <latest>$version</latest>
    <release>$version</release>
    <versions><version>$version</version></versions>
    <lastUpdated>$(date -u +%Y%m%d%H%M%S)</lastUpdated>
  </versioning>
</metadata>
XML
}
seed_maven_metadata software.amazon.awscdk aws-cdk-lib "$(pom_property cdk.version)"
seed_maven_metadata io.github.cdklabs cdknag "$(pom_property cdknag.version)"

# CI=1: without it projen's package task builds every target, .NET included (no .NET SDK here).
timed 'package:python' env CI=1 npx projen package:python
timed 'package:java' env CI=1 npx projen package:java

WHEEL=$(ls "$ROOT"/dist/python/cdk_dynamodb_blueprints-*.whl)
JAR_DIR=$(dirname "$(ls "$ROOT"/dist/java/dev/cdkdynamodbblueprints/cdk-dynamodb-blueprints/*/cdk-dynamodb-blueprints-*[0-9].jar)")
VERSION=$(basename "$JAR_DIR")
JAR=$JAR_DIR/cdk-dynamodb-blueprints-$VERSION.jar
echo "wheel: $WHEEL ($(stat -c %s "$WHEEL") bytes)"
echo "jar:   $JAR ($(stat -c %s "$JAR") bytes)"

# The TypeScript orders lab, synthesized the way its cdk.json runs it: the reference for both apps.
timed 'synth examples/orders-lab (TypeScript)' \
  env -C examples/orders-lab CDK_OUTDIR="$BUILD/orders-lab.out" \
  npx ts-node --transpile-only main.ts
export ORDERS_LAB_TS_TEMPLATE=$BUILD/orders-lab.out/OrdersLab.template.json
test -s "$ORDERS_LAB_TS_TEMPLATE"

python_env() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  # The wheel's version does not change between builds: replace the installed copy with this one.
  .venv/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
}
# pytest exits 5 when it collects no test; with `set -e` that fails the run like any other non-zero code.
python_tests() {
  .venv/bin/python -m pytest --junitxml="$BUILD/pytest.xml"
}
cd "$ROOT/examples/python"
timed 'Python: venv, wheel, aws-cdk-lib and cdk-nag from requirements' python_env
timed 'Python: pytest' python_tests

cd "$ROOT/examples/java"
# The jar and its pom (with its dependencies) into the local Maven repository, replacing an older build.
timed 'Java: install the jar' mvn -B -q org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file \
  -Dfile="$JAR" -DpomFile="$JAR_DIR/cdk-dynamodb-blueprints-$VERSION.pom"
rm -rf target/surefire-reports
timed 'Java: mvn test' mvn -B test

cd "$ROOT"
# One line per language from the JUnit reports, in the same form as the jest summary of .ci/run.
python3 - "$BUILD/pytest.xml" examples/java/target/surefire-reports <<'PY'
import glob, sys, xml.etree.ElementTree as ET
def count(files):
    total = failed = skipped = 0
    for f in files:
        for s in ET.parse(f).iter("testsuite"):
            total += int(s.get("tests")); skipped += int(s.get("skipped", 0))
            failed += int(s.get("failures")) + int(s.get("errors"))
    return total - failed - skipped, failed
for name, files in (("python", [sys.argv[1]]), ("java", glob.glob(sys.argv[2] + "/TEST-*.xml"))):
    passed, failed = count(files)
    print(f"{name}: {passed} passed, {failed} failed")
    if passed == 0 or failed:
        sys.exit(1)
PY
