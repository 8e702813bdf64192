xinit wm terminal sh /etc/pstree.sh
