# syntax=docker/dockerfile:1
# Build stage: the whole reactor, tests skipped (CI runs them), producing launcher/target/promptlab.jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY verticles verticles
COPY launcher launcher
# The seed prompts are packaged into the jar (evolution's seed-prompts/ resources); they never go to /app.
COPY prompts prompts
RUN mvn -B -ntp -q -DskipTests package

# Runtime stage: JRE only, an unprivileged user. Everything that changes at run time (images, the embedded
# database, the admin token, prompt versions and the current prompt) lives on the /data volume; /app is read-only
# code and configuration, so a recreated container on the same volume resumes exactly where it was.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system promptlab \
 && useradd --system --gid promptlab --home-dir /app --shell /usr/sbin/nologin promptlab
WORKDIR /app
COPY --from=build /src/launcher/target/promptlab.jar /app/promptlab.jar
COPY conf /app/conf
COPY webroot /app/webroot
RUN mkdir -p /data && chown -R promptlab:promptlab /data
USER promptlab
ENV PROMPTLAB_DATA_DIR=/data \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
# exec form through sh so JAVA_OPTS expands and java receives SIGTERM directly (graceful shutdown)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/promptlab.jar"]
