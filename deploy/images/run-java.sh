#!/bin/sh
# The images' launcher, at the path of Quarkus' JVM images: the JVM's options, the options the image and the pod
# give in JAVA_OPTS_APPEND, then the application's fast-jar.
# shellcheck disable=SC2086 # the options are words on purpose
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=50.0 -XX:+ExitOnOutOfMemoryError} ${JAVA_OPTS_APPEND:-} \
  -jar "${JAVA_APP_JAR:-/deployments/quarkus-run.jar}" "$@"
