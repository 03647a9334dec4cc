#!/usr/bin/env bash
# Sharkfin vs tshark, per field: scripts/agreement-report.sh [CAPTURE|FOLDER]...
# Without arguments: src/test/resources/captures and ../shared/captures/{tcp,protocols}. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -q -B test-compile exec:exec -Dexec.executable="$java_home/bin/java" -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath dev.sharkfin.golden.AgreementReport $*" 2>&1 | grep -v -E ' (INFO|DEBUG) '
