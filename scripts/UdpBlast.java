import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends UDP datagrams at a fixed rate, for the live-capture benchmark:
 *   java scripts/UdpBlast.java HOST PORT PACKETS_PER_SECOND SECONDS [PAYLOAD_BYTES]
 * Prints how many it sent and the rate it reached (the sender itself may be the limit).
 */
public class UdpBlast {
    public static void main(String[] args) throws Exception {
        InetAddress host = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        long rate = Long.parseLong(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        long total = (long) (rate * seconds);
        byte[] payload = new byte[size];
        long start = System.nanoTime();
        long sent = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            DatagramPacket p = new DatagramPacket(payload, size, host, port);
            while (sent < total) {
                long due = start + sent * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
                s.send(p);
                sent++;
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d datagrams in %.2f s = %.0f/s%n", sent, took, sent / took);
    }
}
