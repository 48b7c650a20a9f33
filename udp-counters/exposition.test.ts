import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUdpCounters, kernelUdpMetricName, snakeCase } from './exposition.ts';

describe('kernelUdpMetricName', () => {
  it('turns /proc/net/snmp column names into snake_case counters', () => {
    assert.equal(kernelUdpMetricName('RcvbufErrors'), 'pushpull_kernel_udp_rcvbuf_errors_total');
    assert.equal(kernelUdpMetricName('InDatagrams'), 'pushpull_kernel_udp_in_datagrams_total');
    assert.equal(kernelUdpMetricName('InCsumErrors'), 'pushpull_kernel_udp_in_csum_errors_total');
    assert.equal(snakeCase('NoPorts'), 'no_ports');
  });
});

describe('formatUdpCounters', () => {
  it('renders counters sorted by name, then the watched ports', () => {
    const text = formatUdpCounters(
      { RcvbufErrors: 5, InDatagrams: 10, Bogus: 'x' },
      [
        { localPort: 9125, rxQueueBytes: 100, drops: 2 },
        { localPort: 9125, rxQueueBytes: 50, drops: 1 },
        { localPort: 1, rxQueueBytes: 9, drops: 9 },
      ],
      [9125, 7],
    );
    assert.equal(
      text,
      [
        '# HELP pushpull_kernel_udp_in_datagrams_total /proc/net/snmp Udp InDatagrams of this network namespace.',
        '# TYPE pushpull_kernel_udp_in_datagrams_total counter',
        'pushpull_kernel_udp_in_datagrams_total 10',
        '# HELP pushpull_kernel_udp_rcvbuf_errors_total /proc/net/snmp Udp RcvbufErrors of this network namespace.',
        '# TYPE pushpull_kernel_udp_rcvbuf_errors_total counter',
        'pushpull_kernel_udp_rcvbuf_errors_total 5',
        '# HELP pushpull_kernel_udp_socket_count UDP sockets bound to the watched local port (0: none open).',
        '# TYPE pushpull_kernel_udp_socket_count gauge',
        'pushpull_kernel_udp_socket_count{port="7"} 0',
        'pushpull_kernel_udp_socket_count{port="9125"} 2',
        '# HELP pushpull_kernel_udp_socket_drops_total Datagrams dropped by the sockets on the watched port (/proc/net/udp drops).',
        '# TYPE pushpull_kernel_udp_socket_drops_total counter',
        'pushpull_kernel_udp_socket_drops_total{port="7"} 0',
        'pushpull_kernel_udp_socket_drops_total{port="9125"} 3',
        '# HELP pushpull_kernel_udp_socket_rx_queue_bytes Bytes waiting in the receive queues of the sockets on the watched port.',
        '# TYPE pushpull_kernel_udp_socket_rx_queue_bytes gauge',
        'pushpull_kernel_udp_socket_rx_queue_bytes{port="7"} 0',
        'pushpull_kernel_udp_socket_rx_queue_bytes{port="9125"} 150',
        '',
      ].join('\n'),
    );
  });
});
