package dev.sharkfin.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The bounds of a page of jobs and the states a list may be filtered by. */
class JobListingTest {

    @Test
    void pagesWithinTheListLimitAndTheResultWindowAreTaken() {
        assertThatCode(() -> JobListing.checkBounds(0, 1, 100)).doesNotThrowAnyException();
        assertThatCode(() -> JobListing.checkBounds(0, 100, 100)).doesNotThrowAnyException();
        assertThatCode(() -> JobListing.checkBounds(99, 100, 100)).as("the last 100 of 10 000").doesNotThrowAnyException();
    }

    @Test
    void pagesOutOfBoundsAreRefused() {
        assertThatThrownBy(() -> JobListing.checkBounds(-1, 10, 100)).isInstanceOf(JobExceptions.BadPage.class)
                .hasMessageContaining("sharkfin.jobs.list-limit");
        assertThatThrownBy(() -> JobListing.checkBounds(0, 0, 100)).isInstanceOf(JobExceptions.BadPage.class);
        assertThatThrownBy(() -> JobListing.checkBounds(0, 101, 100)).isInstanceOf(JobExceptions.BadPage.class);
        assertThatThrownBy(() -> JobListing.checkBounds(100, 100, 100)).isInstanceOf(JobExceptions.BadPage.class)
                .hasMessageContaining("10000 newest jobs");
        assertThatThrownBy(() -> JobListing.checkBounds(Integer.MAX_VALUE, 100, 100)).as("no overflow")
                .isInstanceOf(JobExceptions.BadPage.class);
    }

    @Test
    void statesAreTakenInAnyCaseAndUnknownOnesRefused() {
        assertThat(JobListing.state("running")).isEqualTo("running");
        assertThat(JobListing.state(" Succeeded ")).isEqualTo("succeeded");
        assertThat(JobListing.state("CANCELLED")).isEqualTo("cancelled");
        assertThatThrownBy(() -> JobListing.state("done")).isInstanceOf(JobExceptions.BadPage.class)
                .hasMessageContaining("'done' is not a job state");
    }
}
