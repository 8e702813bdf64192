/* kernel/dev/uart.h: the COM1 serial port (16550), the console the test harness reads. */
#ifndef KERNEL_DEV_UART_H
#define KERNEL_DEV_UART_H

void uart_init(void);
void uart_putc(char c);
void uart_enable_irq(void);
#endif
