import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { configureRunners, preloadRunner } from '../../browser/exec/runner-pool'
import App from './App.vue'
import { connectHost, hostPlugin } from './host'
import { createAppRouter } from './router'
import './styles/base.css'

// Every program run here is some candidate's code (or a reference solution): each gets a Python
// interpreter of its own, so nothing one leaves behind reaches another session's runs.
configureRunners({ freshPythonPerRun: true })

createApp(App).use(hostPlugin, connectHost()).use(createPinia()).use(createAppRouter()).mount('#app')

// Python takes seconds to load: start now, so it is ready by the time anyone runs code.
preloadRunner('python')
