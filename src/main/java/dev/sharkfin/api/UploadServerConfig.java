package dev.sharkfin.api;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.error.ErrorPageRegistrar;
import org.springframework.http.HttpStatus;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sharkfin.capture.UploadProperties;

/**
 * Tomcat's part in keeping slow uploads from holding threads: a read timeout while a request body arrives
 * ({@code connectionUploadTimeout}, {@code sharkfin.capture.upload-timeout}), and no draining of a refused upload's
 * body (see {@link NoDrainOnRefusal}).
 */
@Configuration(proxyBeanMethods = false)
class UploadServerConfig {
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> uploadTimeouts(UploadProperties props) {
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                    http.setDisableUploadTimeout(false);
                    http.setConnectionUploadTimeout((int) Math.min(Integer.MAX_VALUE, props.uploadTimeout().toMillis()));
                }
            });
            factory.addContextValves(new NoDrainOnRefusal());
        };
    }

    /**
     * The other half of {@link NoDrainOnRefusal}: when an error status is set on a request whose body may not have been
     * read, the answer says {@code Connection: close} before it is committed, so that a client does not send its next
     * request on a connection the server is about to close.
     */
    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<jakarta.servlet.Filter> connectionCloseOnRefusal() {
        jakarta.servlet.Filter filter = (req, res, chain) -> {
            if (req instanceof jakarta.servlet.http.HttpServletRequest http && res instanceof jakarta.servlet.http.HttpServletResponse out
                    && (http.getContentLengthLong() > 0 || http.getHeader("Transfer-Encoding") != null)) {
                chain.doFilter(req, new jakarta.servlet.http.HttpServletResponseWrapper(out) {
                    @Override
                    public void setStatus(int sc) {
                        closing(sc);
                        super.setStatus(sc);
                    }

                    @Override
                    public void sendError(int sc, String msg) throws IOException {
                        closing(sc);
                        super.sendError(sc, msg);
                    }

                    @Override
                    public void sendError(int sc) throws IOException {
                        closing(sc);
                        super.sendError(sc);
                    }

                    private void closing(int sc) {
                        if (sc >= 400 && !isCommitted()) {
                            setHeader("Connection", "close");
                        }
                    }
                });
                return;
            }
            chain.doFilter(req, res);
        };
        var bean = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(filter);
        bean.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
        bean.addUrlPatterns("/*");
        return bean;
    }

    /** Tomcat answers a read timeout on a request body with 408 itself; this gives that 408 a problem+json body. */
    @Bean
    ErrorPageRegistrar uploadTimeoutErrorPage() {
        return registry -> registry.addErrorPages(new ErrorPage(HttpStatus.REQUEST_TIMEOUT, UploadTimeoutPage.PATH));
    }

    /**
     * After an error answer to a request whose body was not read to its end (a 429, 507, 413, 415 to an upload), Tomcat
     * would read what is left of the body before the next request on the connection ("swallowing", up to
     * {@code server.tomcat.max-swallow-size}) on the same thread: a client trickling a byte a second would hold that
     * thread for hours after its 429. This closes the connection after the answer instead, as Tomcat itself does for
     * 400, 408 and 413.
     */
    static final class NoDrainOnRefusal extends ValveBase {
        /** A body declared by its length or sent in chunks; a DELETE or an empty POST has none to drain. */
        static boolean hasBody(Request request) {
            String te = request.getHeader("Transfer-Encoding");
            return request.getContentLengthLong() > 0 || (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked"));
        }

        NoDrainOnRefusal() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            if (response.getStatus() >= 400 && !request.isAsyncStarted() && hasBody(request) && !request.isFinished()) {
                // The client must not send its next request on this connection: say it is closing, then send the
                // answer whole (set as an error, the connection would be closed before its end).
                if (!response.isCommitted()) {
                    response.setHeader("Connection", "close");
                }
                response.finishResponse();
                request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
            }
        }
    }
}
