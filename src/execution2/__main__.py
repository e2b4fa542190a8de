from execution2.cli import main

main()
