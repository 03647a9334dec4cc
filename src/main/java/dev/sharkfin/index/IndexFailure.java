package dev.sharkfin.index;

/** One packet Elasticsearch did not take: its frame number and Elasticsearch's reason. */
public record IndexFailure(long frame, String reason) {
}
