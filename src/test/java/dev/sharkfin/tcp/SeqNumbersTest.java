package dev.sharkfin.tcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqNumbersTest {

    @Test
    void comparesInSequenceSpaceAcrossTheWrap() {
        int beforeWrap = 0xFFFF_FFF0; // 4294967280
        int afterWrap = 0x10;
        assertTrue(SeqNumbers.gtSeq(afterWrap, beforeWrap));
        assertTrue(SeqNumbers.ltSeq(beforeWrap, afterWrap));
        assertTrue(SeqNumbers.leSeq(beforeWrap, afterWrap));
        assertFalse(SeqNumbers.gtSeq(beforeWrap, afterWrap));
        // An unsigned comparison says the opposite: that is why the two are not interchangeable.
        assertTrue(Integer.compareUnsigned(beforeWrap, afterWrap) > 0);
    }

    @Test
    void equalNumbersAreOnlyLessOrEqual() {
        assertTrue(SeqNumbers.leSeq(1000, 1000));
        assertFalse(SeqNumbers.ltSeq(1000, 1000));
        assertFalse(SeqNumbers.gtSeq(1000, 1000));
    }

    @Test
    void halfTheSpaceApartFlipsTheOrder() {
        // GT_SEQ is the sign of the 32-bit difference: less than 2^31 ahead is "after", more than 2^31 is "before".
        assertTrue(SeqNumbers.gtSeq(0x7FFF_FFFF, 0));
        assertFalse(SeqNumbers.gtSeq(0x8000_0001, 0));
        assertTrue(SeqNumbers.ltSeq(0x8000_0001, 0));
    }
}
