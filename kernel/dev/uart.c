/*
 * kernel/dev/uart.c: COM1 at 115200 8N1. Output polls the transmit-holding
 * register; input arrives by IRQ 4 and goes to the console's input queue.
 * If no UART answers (the line-status register reads 0xff) output is dropped.
 */
#include "kernel/dev/uart.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/x86.h"

#define COM1		0x3f8
#define UART_DATA	0	/* receive buffer / transmit holding */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmitter holding register empty */

static int uart_present;
static void (*rx_sink)(int c);		/* where received bytes go */

void uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80);	/* DLAB on: set the divisor */
	outb(COM1 + UART_DATA, 1);	/* 115200 / 1 */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, 0x03);	/* 8 bits, no parity, 1 stop */
	outb(COM1 + UART_FCR, 0xc7);	/* FIFOs on, cleared */
	outb(COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ line) */
	uart_present = inb(COM1 + UART_LSR) != 0xff;
}

void uart_putc(char c)
{
	if (!uart_present)
		return;
	if (c == '\n')
		uart_putc('\r');
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
		pause();
	outb(COM1 + UART_DATA, c);
}

static void uart_intr(struct trapframe *tf)
{
	(void)tf;
	while (inb(COM1 + UART_LSR) & LSR_DR)
		rx_sink(inb(COM1 + UART_DATA));
}

void uart_enable_irq(void (*sink)(int c))
{
	if (!uart_present)
		return;
	rx_sink = sink;
	irq_register(IRQ_COM1, uart_intr);
	outb(COM1 + UART_IER, 0x01);	/* interrupt on received data */
	(void)inb(COM1 + UART_DATA);
}
