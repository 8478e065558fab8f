# One image for every nmstream service; the command picks the service (see docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install -pl distribution -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 nmstream
COPY --from=build /src/distribution/target/nmstream.jar /opt/nmstream/nmstream.jar
ENV JAVA_TOOL_OPTIONS="-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro -XX:MaxRAMPercentage=75"
USER nmstream
ENTRYPOINT ["java", "-jar", "/opt/nmstream/nmstream.jar"]
CMD ["--help"]
