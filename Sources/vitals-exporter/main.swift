import VitalsExporterApp

await ExporterMain.run()
