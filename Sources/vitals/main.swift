import VitalsCLI

await VitalsMain.run()
