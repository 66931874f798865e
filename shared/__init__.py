"""The bottom layer every service and the journey worker stand on; imports nothing from services or workflows."""
