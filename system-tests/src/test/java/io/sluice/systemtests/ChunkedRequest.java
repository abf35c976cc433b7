package io.sluice.systemtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 POST whose body goes out a chunk at a time ({@code Transfer-Encoding: chunked}) while its chunked answer
 * is read line by line in between, as {@code curl -T -} streams a pipe: the client of a streaming API.
 */
final class ChunkedRequest implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;
    private final StringBuilder pending = new StringBuilder();

    /** Sends the request head; the status line and headers are read by {@link #status()}. */
    ChunkedRequest(URI uri, String contentType) throws IOException {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: "
                + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The answer's status, once its head has come. */
    int status() throws IOException {
        int status = Integer.parseInt(in.readLine().split(" ")[1]);
        while (!in.readLine().isEmpty()) {
            // headers
        }
        return status;
    }

    void send(String chunk) throws IOException {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends the last, empty chunk: the request is whole. */
    void end() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The answer's next line, waiting for it; null once the answer has ended. */
    String nextLine() throws IOException {
        while (pending.indexOf("\n") < 0) {
            int size = Integer.parseInt(in.readLine().trim(), 16);
            if (size == 0) {
                in.readLine();
                return pending.isEmpty() ? null : take(pending.length());
            }
            char[] data = new char[size];
            for (int read = 0; read < size;) {
                read += in.read(data, read, size - read);
            }
            in.readLine();
            pending.append(data);
        }
        return take(pending.indexOf("\n") + 1).stripTrailing();
    }

    /** The first {@code length} bytes held, as UTF-8: read as ISO-8859-1, one char a byte, to count chunks. */
    private String take(int length) {
        String bytes = pending.substring(0, length);
        pending.delete(0, length);
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
