sh /etc/desktop2.sh
