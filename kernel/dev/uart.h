/* kernel/dev/uart.h: the COM1 serial port (16550), the console the test harness reads. */
#ifndef KERNEL_DEV_UART_H
#define KERNEL_DEV_UART_H

/* Set COM1 to 115200 8N1 with FIFOs; output works from here on. */
void uart_init(void);
/* Send one byte (a '\n' as "\r\n"), waiting for the transmitter; dropped if no UART. */
void uart_putc(char c);
/* Take received bytes by IRQ 4, each to sink; once the IDT and PIC are set up. */
void uart_enable_irq(void (*sink)(int c));
#endif
