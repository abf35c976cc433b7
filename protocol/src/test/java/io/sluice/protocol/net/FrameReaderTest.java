package io.sluice.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.InvalidFrameException;
import io.vertx.core.buffer.Buffer;

class FrameReaderTest {

    private final List<String> frames = new ArrayList<>();
    private final FrameReader reader = new FrameReader(100,
            f -> frames.add(new String(f.array(), f.position(), f.remaining())));

    private static Buffer frame(String body) {
        return Buffer.buffer().appendInt(body.length()).appendString(body);
    }

    @Test
    void cutsFramesWhateverTheChunking() {
        Buffer stream = frame("alpha").appendBuffer(frame("")).appendBuffer(frame("gamma-delta"));
        for (int i = 0; i < stream.length(); i += 3) {
            reader.feed(stream.getBuffer(i, Math.min(stream.length(), i + 3)));
        }

        assertThat(frames).containsExactly("alpha", "", "gamma-delta");
    }

    @Test
    void manyFramesInOneRead() {
        reader.feed(frame("a").appendBuffer(frame("b")).appendBuffer(frame("c")));

        assertThat(frames).containsExactly("a", "b", "c");
    }

    /** The channels feed Netty's buffers as read and release them once fed. */
    @Test
    void keepsNoReferenceToABufferItWasFed() {
        Buffer stream = frame("alpha").appendBuffer(frame("beta"));
        // The first frame's size and part of its body, then the rest of it and half of the next frame's size.
        for (Buffer read : List.of(stream.getBuffer(0, 7), stream.getBuffer(7, 11))) {
            reader.feed(read);
            read.setBytes(0, "\u007f".repeat(read.length()).getBytes());
        }
        reader.feed(stream.getBuffer(11, stream.length()));

        assertThat(frames).containsExactly("alpha", "beta");
    }

    @Test
    void refusesNegativeSizes() {
        assertThatThrownBy(() -> reader.feed(Buffer.buffer().appendInt(-1)))
                .isInstanceOf(InvalidFrameException.class);
    }

    @Test
    void refusesSizesOverTheLimitBeforeReadingThem() {
        assertThatThrownBy(() -> reader.feed(Buffer.buffer().appendInt(101).appendBytes(new byte[10])))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining("101");
    }

    @Test
    void aRequestIsKeptOnlyOnceAdmittedAndWaitsWhileItIsNot() {
        List<String> asked = new ArrayList<>();
        boolean[] admit = { false };
        FrameReader requests = new FrameReader(100, (size, apiKey) -> {
            asked.add(size + "/" + apiKey);
            return admit[0];
        }, f -> frames.add(new String(f.array(), f.position(), f.remaining())));
        Buffer stream = Buffer.buffer().appendInt(4).appendShort((short) 3).appendString("ab")
                .appendInt(3).appendShort((short) 0).appendString("c");

        requests.feed(stream);
        assertThat(frames).isEmpty();
        assertThat(asked).containsExactly("4/3");

        admit[0] = true;
        requests.resume();
        assertThat(frames).hasSize(2);
        assertThat(asked).containsExactly("4/3", "4/3", "3/0");
    }

    @Test
    void aRequestRefusedByItsAdmissionIsNotRead() {
        FrameReader requests = new FrameReader(100, (size, apiKey) -> {
            throw new InvalidFrameException("API " + apiKey + " is held to less than " + size);
        }, f -> frames.add("read"));

        assertThatThrownBy(() -> requests.feed(Buffer.buffer().appendInt(50).appendShort((short) 19)))
                .isInstanceOf(InvalidFrameException.class).hasMessageContaining("API 19");
        assertThat(frames).isEmpty();
    }

    @Test
    void aRequestTooShortForItsApiKeyIsRefused() {
        FrameReader requests = new FrameReader(100, (size, apiKey) -> true, f -> frames.add("read"));

        assertThatThrownBy(() -> requests.feed(Buffer.buffer().appendInt(1).appendByte((byte) 0)))
                .isInstanceOf(InvalidFrameException.class);
    }
}
