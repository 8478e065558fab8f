# Two images from one build: the default one (the last stage) runs every nmstream service, the command picks the
# service (see docker-compose.yml); `--target agent` builds the node agent's image, which carries only the agent jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package -pl distribution,node-agent -am

# The node agent, as hosts run it: the agent jar started with the agent's JVM options, the same file `nmstream node
# agent` starts with and the footprint benchmark measures (node-executor's agent/jvm.options). It runs as root, as
# NetworkManager lets only root change the host's network over D-Bus.
FROM eclipse-temurin:17-jre AS agent
COPY --from=build /src/node-agent/target/nmstream-agent.jar /opt/nmstream/nmstream-agent.jar
COPY --from=build /src/node-executor/src/main/resources/io/nmstream/executor/agent/jvm.options /opt/nmstream/jvm.options
ENV JAVA_TOOL_OPTIONS="-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro"
ENTRYPOINT ["java", "@/opt/nmstream/jvm.options", "-jar", "/opt/nmstream/nmstream-agent.jar"]

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 nmstream
COPY --from=build /src/distribution/target/nmstream.jar /opt/nmstream/nmstream.jar
ENV JAVA_TOOL_OPTIONS="-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro -XX:MaxRAMPercentage=75"
USER nmstream
ENTRYPOINT ["java", "-jar", "/opt/nmstream/nmstream.jar"]
CMD ["--help"]
