# Build: the Maven wrapper on a JDK 21; run: a JRE 21 with libpcap (for live capture; uploads are read in Java).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY src src
# The Kibana saved objects go into the jar (POST /api/kibana/import, auto-provisioning).
COPY kibana kibana
RUN ./mvnw -B -ntp -DskipTests package && cp target/sharkfin-*.jar /sharkfin.jar

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends libpcap0.8 && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home sharkfin
USER sharkfin
WORKDIR /home/sharkfin
COPY --from=build /sharkfin.jar /opt/sharkfin/sharkfin.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/sharkfin/sharkfin.jar"]
