package dev.mlplatform.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection on a blocking socket, for the load generator: writes a request,
 * reads the whole response (Content-Length, chunked, or to the end of the stream), and reconnects
 * after an error or a {@code Connection: close}. Lean on purpose: a load generator that spends its CPU
 * on its own HTTP stack measures itself. Not thread-safe: one thread owns a connection.
 */
final class Http1Connection implements AutoCloseable {

    /** A response: its status and body. */
    record Response(int status, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_LINE = 16 * 1024;

    private final InetSocketAddress address;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Http1Connection(URI server, Duration connectTimeout, Duration readTimeout) {
        int port = server.getPort() > 0 ? server.getPort() : 80;
        this.address = new InetSocketAddress(server.getHost(), port);
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The bytes of a POST with a body, ready to write as many times as needed. */
    static byte[] post(URI uri, String contentType, java.util.Map<String, String> headers, byte[] body) {
        return request("POST", uri, contentType, headers, body);
    }

    /**
     * The bytes of a request, ready to write as many times as needed; {@code body} null for one without a body (a
     * GET), which then has no {@code Content-Type} either.
     */
    static byte[] request(String method, URI uri, String contentType, java.util.Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ')
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(uri.getPort() > 0 ? ":" + uri.getPort() : "").append("\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] content = body == null ? new byte[0] : body;
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    /**
     * Sends {@code request} (complete bytes) and reads the response.
     *
     * @throws IOException on any network error or timeout; the connection is closed and the next call reconnects
     */
    Response exchange(byte[] request) throws IOException {
        try {
            if (socket == null) {
                connect();
            }
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) connectTimeout.toMillis());
            s.setSoTimeout((int) readTimeout.toMillis());
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        while (statusLine.isEmpty()) {
            statusLine = readLine();
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {
                    // Not needed to read the response.
                }
            }
        }
        byte[] body;
        if (status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = in.readNBytes((int) contentLength);
            if (body.length < contentLength) {
                throw new EOFException("connection closed inside a response body");
            }
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, body);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // Trailers: ignored.
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
            if (line.length() > MAX_LINE) {
                throw new IOException("header line longer than " + MAX_LINE);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing after an error: nothing more to do.
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
