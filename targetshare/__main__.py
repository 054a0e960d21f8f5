from targetshare.cli import main

main()
