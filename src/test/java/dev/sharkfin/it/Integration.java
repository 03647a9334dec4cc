package dev.sharkfin.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * An integration test: it needs what a newcomer's machine may lack (a real Elasticsearch, tshark, Chromium,
 * network namespaces, the shared capture corpus) or takes long. {@code ./mvnw test} leaves these out (surefire
 * excludes the tag); {@code ./mvnw verify}, what CI runs, adds them (failsafe runs only the tag).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Integration.TAG)
public @interface Integration {
    /** The JUnit tag, as the pom names it. */
    String TAG = "integration";
}
