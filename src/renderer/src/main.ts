import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { preloadRunner } from '../../browser/exec/runner-pool'
import App from './App.vue'
import { connectHost, hostPlugin } from './host'
import { createAppRouter } from './router'
import './styles/base.css'

createApp(App).use(hostPlugin, connectHost()).use(createPinia()).use(createAppRouter()).mount('#app')

// Python takes seconds to load: start now, so it is ready by the time anyone runs code.
preloadRunner('python')
