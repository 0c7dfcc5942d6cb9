from bulletin_tui.cli import main

main()
